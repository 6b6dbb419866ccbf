import '@testing-library/jest-dom/vitest';
import { sessionStore } from '../session';

// jsdom does not implement scrolling; the app scrolls to the top on navigation.
window.scrollTo = (() => undefined) as typeof window.scrollTo;

afterEach(() => {
  window.history.replaceState(null, '', '/');
  window.sessionStorage.clear();
  sessionStore.reset();
});
