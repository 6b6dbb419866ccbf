import type { SVGProps } from 'react';

export type IconName = 'play' | 'heart' | 'skip' | 'dislike' | 'sparkle' | 'users' | 'wave' | 'flame' | 'refresh';

// 24×24 stroke icons (Feather-style), drawn inline so the bundle needs no icon font.
const PATHS: Record<IconName, string> = {
  play: 'M7 4.5v15l12.5-7.5z',
  heart:
    'M20.8 4.6a5.5 5.5 0 0 0-7.8 0L12 5.7l-1-1.1a5.5 5.5 0 0 0-7.8 7.8l1 1.1L12 21l7.8-7.5 1-1.1a5.5 5.5 0 0 0 0-7.8z',
  skip: 'M5 4.5l10 7.5-10 7.5zM19 5v14',
  dislike:
    'M10 15v4a3 3 0 0 0 3 3l4-9V2H5.7a2 2 0 0 0-2 1.7l-1.4 9a2 2 0 0 0 2 2.3zM17 2h2.7A2.3 2.3 0 0 1 22 4v7a2.3 2.3 0 0 1-2.3 2H17',
  sparkle:
    'M12 3l1.9 5.6L19.5 10.5l-5.6 1.9L12 18l-1.9-5.6L4.5 10.5l5.6-1.9zM19 17l.8 2.2L22 20l-2.2.8L19 23l-.8-2.2L16 20l2.2-.8z',
  users:
    'M17 21v-2a4 4 0 0 0-4-4H5a4 4 0 0 0-4 4v2M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM23 21v-2a4 4 0 0 0-3-3.9M16 3.1a4 4 0 0 1 0 7.8',
  wave: 'M2 12h2M6 8v8M10 4v16M14 7v10M18 9v6M22 12h0',
  flame: 'M12 22c4 0 7-2.7 7-7 0-3.5-2.3-6-4-8-.4 2-1.5 3-3 3 .6-3.5-1-6.5-4-8 0 4-4 6.5-4 12 0 4.3 3.5 8 8 8z',
  refresh: 'M23 4v6h-6M1 20v-6h6M3.5 9a9 9 0 0 1 14.9-3.4L23 10M1 14l4.6 4.4A9 9 0 0 0 20.5 15',
};

export function Icon({ name, ...rest }: { name: IconName } & SVGProps<SVGSVGElement>) {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false" {...rest}>
      <path d={PATHS[name]} />
    </svg>
  );
}
