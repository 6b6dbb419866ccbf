import type { FeedbackEventType } from '@encore/api-contract';
import { Icon, type IconName } from '../../../ui/icons';
import '../feedback.css';

const ACTIONS: Record<FeedbackEventType, { label: string; done: string; icon: IconName }> = {
  play: { label: 'Play', done: 'Played', icon: 'play' },
  like: { label: 'Like', done: 'Liked', icon: 'heart' },
  skip: { label: 'Skip', done: 'Skipped', icon: 'skip' },
  dislike: { label: 'Dislike', done: 'Disliked', icon: 'dislike' },
};

export interface FeedbackButtonsProps {
  songName: string;
  events: readonly FeedbackEventType[];
  onFeedback: (event: FeedbackEventType) => void;
  /** Feedback already given on this song, shown as pressed (and not sent twice). */
  done?: readonly FeedbackEventType[];
  compact?: boolean;
}

/** Play / Like / Skip / Dislike for one song; each button's name includes the song so a list reads well. */
export function FeedbackButtons({ songName, events, onFeedback, done = [], compact }: FeedbackButtonsProps) {
  return (
    <div className={compact ? 'feedback-buttons feedback-buttons--compact' : 'feedback-buttons'}>
      {events.map((event) => {
        const action = ACTIONS[event];
        const isDone = done.includes(event);
        return (
          <button
            key={event}
            type="button"
            className={`feedback-button feedback-button--${event}${isDone ? ' is-done' : ''}`}
            aria-label={`${isDone ? action.done : action.label} ${songName}`}
            aria-pressed={event === 'like' ? isDone : undefined}
            title={isDone ? action.done : action.label}
            disabled={isDone}
            onClick={() => onFeedback(event)}
          >
            <Icon name={action.icon} />
            <span className="feedback-button__label">{isDone ? action.done : action.label}</span>
          </button>
        );
      })}
    </div>
  );
}
