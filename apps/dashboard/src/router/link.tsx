import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { navigate } from './history';

export interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  to: string;
  state?: unknown;
}

/** A real anchor (so middle-click, copy link and keyboard work) that navigates in-app on a plain click. */
export function Link({ to, state, onClick, ...rest }: LinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    const modified = event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
    if (event.defaultPrevented || event.button !== 0 || modified || rest.target === '_blank') return;
    event.preventDefault();
    navigate(to, { state });
  };
  return <a href={to} onClick={handleClick} {...rest} />;
}
