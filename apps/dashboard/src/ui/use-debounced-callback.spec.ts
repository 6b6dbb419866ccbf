import { renderHook } from '@testing-library/react';
import { useDebouncedCallback } from './use-debounced-callback';

describe('useDebouncedCallback', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('calls once with the last arguments after the wait', () => {
    const spy = vi.fn();
    const { result } = renderHook(() => useDebouncedCallback(spy, 250));

    result.current.run('b');
    vi.advanceTimersByTime(200);
    result.current.run('bl');
    vi.advanceTimersByTime(200);
    result.current.run('blu');
    expect(spy).not.toHaveBeenCalled();

    vi.advanceTimersByTime(250);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy).toHaveBeenCalledWith('blu');
  });

  it('flush runs the pending call now, and only once', () => {
    const spy = vi.fn();
    const { result } = renderHook(() => useDebouncedCallback(spy, 250));

    result.current.run('x');
    result.current.flush();
    vi.advanceTimersByTime(1000);
    result.current.flush();

    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('drops the pending call on cancel and on unmount', () => {
    const spy = vi.fn();
    const { result, unmount } = renderHook(() => useDebouncedCallback(spy, 250));

    result.current.run('a');
    result.current.cancel();
    vi.advanceTimersByTime(1000);
    result.current.run('b');
    unmount();
    vi.advanceTimersByTime(1000);

    expect(spy).not.toHaveBeenCalled();
  });

  it('uses the latest callback when the timer fires', () => {
    const first = vi.fn();
    const second = vi.fn();
    const { result, rerender } = renderHook(({ cb }) => useDebouncedCallback(cb, 250), { initialProps: { cb: first } });

    result.current.run('z');
    rerender({ cb: second });
    vi.advanceTimersByTime(250);

    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledWith('z');
  });
});
