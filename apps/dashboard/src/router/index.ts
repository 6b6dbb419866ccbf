export { navigate, matchPath, type AppLocation, type NavigateOptions } from './history';
export { useLocation, useSearchParams, type SetSearchParams } from './hooks';
export { Link, type LinkProps } from './link';
