import { useEffect } from 'react';
import type { FeedbackEventType, HistoryItemDto } from '@encore/api-contract';
import { Link, useLocation } from '../../../router';
import type { SessionUser } from '../../../session';
import { Icon, type IconName } from '../../../ui/icons';
import { QueryState, SkeletonLines } from '../../../ui/query-state';
import { type BackState, songPath } from '../../songs/routes';
import { useHistory } from '../api/use-history';
import '../feedback.css';

const EVENTS: Record<FeedbackEventType, { label: string; icon: IconName }> = {
  play: { label: 'Played', icon: 'play' },
  like: { label: 'Liked', icon: 'heart' },
  skip: { label: 'Skipped', icon: 'skip' },
  dislike: { label: 'Disliked', icon: 'dislike' },
};

const dateTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });

export function HistoryPage({ user }: { user: SessionUser }) {
  const history = useHistory(user.id);
  const { pathname } = useLocation();
  const backState: BackState = { from: pathname };

  useEffect(() => {
    document.title = 'History · Encore';
    return () => {
      document.title = 'Encore';
    };
  }, []);

  return (
    <section className="page" aria-labelledby="history-title">
      <header className="page-head">
        <h1 id="history-title">History</h1>
        <p className="muted">Everything you played, liked, skipped or disliked, newest first.</p>
      </header>
      <QueryState
        query={history}
        label="your history"
        loading={<SkeletonLines count={6} />}
        isEmpty={(data) => data.pages[0].items.length === 0}
        empty={
          <>
            <p className="empty-title">Nothing here yet</p>
            <p>
              Songs you play, like or skip show up here. <Link to="/for-you">See what’s for you</Link>
            </p>
          </>
        }
      >
        {(data) => (
          <>
            <ol className="history-list" aria-label="Your interactions">
              {data.pages.flatMap((page) =>
                page.items.map((item, i) => (
                  <HistoryRow
                    key={item.id ?? `${item.timestamp}-${item.songId}-${i}`}
                    item={item}
                    backState={backState}
                  />
                )),
              )}
            </ol>
            <div className="load-more">
              {history.hasNextPage ? (
                <button
                  type="button"
                  className="button"
                  onClick={() => void history.fetchNextPage()}
                  disabled={history.isFetchingNextPage}
                >
                  {history.isFetchingNextPage ? 'Loading…' : 'Load more'}
                </button>
              ) : (
                <p className="muted">That’s everything.</p>
              )}
              {history.isFetchNextPageError ? (
                <p className="form-field__error" role="alert">
                  Couldn’t load more: {history.error?.message}
                </p>
              ) : null}
            </div>
          </>
        )}
      </QueryState>
    </section>
  );
}

function HistoryRow({ item, backState }: { item: HistoryItemDto; backState: BackState }) {
  const event = EVENTS[item.event];
  return (
    <li className="history-row">
      <span className={`history-event history-event--${item.event}`}>
        <Icon name={event.icon} />
        {event.label}
      </span>
      <span className="history-row__song">
        {item.song ? (
          <>
            <Link to={songPath(item.song.id)} state={backState} className="history-row__title">
              {item.song.name}
            </Link>
            <span className="muted"> · {item.song.artists.join(', ')}</span>
          </>
        ) : (
          <span className="muted">A song no longer in the catalog ({item.songId})</span>
        )}
      </span>
      <time className="history-row__time" dateTime={item.timestamp}>
        {dateTime.format(new Date(item.timestamp))}
      </time>
    </li>
  );
}
