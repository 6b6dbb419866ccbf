import type { FeedbackEventType } from '@encore/api-contract';
import { Link } from '../../../router';
import { FeedbackButtons } from '../../feedback/components/feedback-buttons';
import { GenreTags } from '../../songs/components/genre-tags';
import { SongCover } from '../../songs/components/song-cover';
import { type BackState, songPath } from '../../songs/routes';
import type { RecommendationItem } from '../api/recommendation-queries';
import { Reason } from './reason';

const EVENTS: readonly FeedbackEventType[] = ['play', 'like', 'skip', 'dislike'];

export interface RecommendationCardProps {
  item: RecommendationItem;
  rank: number;
  backState: BackState;
  onFeedback: (event: FeedbackEventType) => void;
}

export function RecommendationCard({ item, rank, backState, onFeedback }: RecommendationCardProps) {
  return (
    <li className="rec-card" data-song-id={item.id} aria-labelledby={`rec-${item.id}`}>
      <span className="rec-card__rank" aria-hidden="true">
        {rank}
      </span>
      <SongCover id={item.id} size="small" />
      <div className="rec-card__body">
        <Link to={songPath(item.id)} state={backState} className="rec-card__title" id={`rec-${item.id}`}>
          {item.name}
        </Link>
        <p className="rec-card__artists">{item.artists.join(', ')}</p>
        <Reason reason={item.reason} />
        <GenreTags genres={item.genres} max={3} />
      </div>
      <FeedbackButtons
        songName={item.name}
        events={EVENTS}
        done={item.feedback ? [item.feedback] : undefined}
        onFeedback={onFeedback}
      />
    </li>
  );
}
