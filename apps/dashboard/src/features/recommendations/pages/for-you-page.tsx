import { useEffect } from 'react';
import type { RecommendationStrategy } from '@encore/api-contract';
import { Link, useLocation, useSearchParams } from '../../../router';
import type { SessionUser } from '../../../session';
import { QueryState } from '../../../ui/query-state';
import { SegmentedControl } from '../../../ui/segmented-control';
import { useRecordFeedback } from '../../feedback/api/use-record-feedback';
import type { BackState } from '../../songs/routes';
import type { RecommendationList } from '../api/recommendation-queries';
import { useRecommendations } from '../api/use-recommendations';
import { RecommendationCard } from '../components/recommendation-card';
import { DEFAULT_STRATEGY, parseStrategy, STRATEGIES } from '../strategies';
import '../recommendations.css';

export const FOR_YOU_LIMIT = 20;

/** Every item ranked by popularity alone: the listener is new (or the chosen strategy had nothing to go on). */
const isPopularityOnly = (list: RecommendationList) => list.items.every((item) => item.reason.source === 'popularity');

export function ForYouPage({ user }: { user: SessionUser }) {
  const [params, setParams] = useSearchParams();
  const strategy = parseStrategy(params.get('strategy'));
  const recommendations = useRecommendations(user.id, { strategy, k: FOR_YOU_LIMIT });
  const feedback = useRecordFeedback();
  const { pathname, search } = useLocation();
  const backState: BackState = { from: `${pathname}${search}` };
  const description = STRATEGIES.find((s) => s.value === strategy)?.description;

  useEffect(() => {
    document.title = 'For you · Encore';
    return () => {
      document.title = 'Encore';
    };
  }, []);

  const setStrategy = (next: RecommendationStrategy) =>
    setParams(
      (p) => {
        if (next === DEFAULT_STRATEGY) p.delete('strategy');
        else p.set('strategy', next);
        return p;
      },
      { replace: true },
    );

  const failed = feedback.isError ? { ...feedback.variables, message: feedback.error.message } : undefined;
  const failedSong = failed && recommendations.data?.items.find((s) => s.id === failed.songId);

  return (
    <section className="page" aria-labelledby="for-you-title">
      <header className="page-head for-you-head">
        <div>
          <h1 id="for-you-title">For you</h1>
          <p className="muted">
            Picked for <strong>{user.username}</strong>, each with the reason it’s here. Like, skip or play songs and
            the list follows.
          </p>
        </div>
        <div className="for-you-head__strategy">
          <SegmentedControl label="Strategy" options={STRATEGIES} value={strategy} onChange={setStrategy} />
          <p className="strategy-hint">{description}</p>
        </div>
      </header>

      {failed ? (
        <div className="notice notice--error" role="alert">
          <span>
            Couldn’t save your {failed.event}
            {failedSong ? <> of “{failedSong.name}”</> : null}: {failed.message}
          </span>
          <button type="button" className="link-button" onClick={() => feedback.reset()}>
            Dismiss
          </button>
        </div>
      ) : null}

      <QueryState
        query={recommendations}
        label="your recommendations"
        loading={<CardSkeletons />}
        isEmpty={(list) => list.items.length === 0}
        empty={
          <>
            <p className="empty-title">Like a few songs to get started</p>
            <p>
              Encore learns from what you like, play and skip. <Link to="/">Browse songs</Link>
            </p>
          </>
        }
      >
        {(list) => (
          <>
            {list.fallback ? (
              <p className="notice notice--warn" role="status">
                {list.fallback.from} didn’t answer ({list.fallback.reason}); Encore’s own engine picked these.
              </p>
            ) : null}
            {isPopularityOnly(list) && strategy !== 'popular' ? (
              <p className="notice notice--info" role="status">
                These are <strong>popular songs</strong>: Encore doesn’t know your taste yet. Like a few songs you enjoy
                (<Link to="/">browse the catalog</Link>) and this list becomes yours.
              </p>
            ) : null}
            <ol className="rec-list" aria-label="Recommended songs">
              {list.items.map((item, i) => (
                <RecommendationCard
                  key={item.id}
                  item={item}
                  rank={i + 1}
                  backState={backState}
                  onFeedback={(event) => feedback.mutate({ songId: item.id, event })}
                />
              ))}
            </ol>
            <p className="rec-list__meta muted">
              Ranked by {list.provider} · model {list.modelVersion}
            </p>
          </>
        )}
      </QueryState>
    </section>
  );
}

function CardSkeletons() {
  return (
    <div className="rec-list" aria-hidden="true">
      {Array.from({ length: 5 }, (_, i) => (
        <div key={i} className="rec-card rec-card--skeleton">
          <span className="skeleton rec-card__rank" />
          <span className="skeleton song-cover song-cover--small" />
          <div className="rec-card__body">
            <span className="skeleton" style={{ width: '45%' }} />
            <span className="skeleton" style={{ width: '30%' }} />
            <span className="skeleton" style={{ width: '60%' }} />
          </div>
        </div>
      ))}
    </div>
  );
}
