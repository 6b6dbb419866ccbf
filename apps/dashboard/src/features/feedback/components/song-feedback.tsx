import { useState } from 'react';
import type { FeedbackEventType } from '@encore/api-contract';
import { useRecordFeedback } from '../api/use-record-feedback';
import { FeedbackButtons } from './feedback-buttons';

export interface SongFeedbackProps {
  songId: string;
  songName: string;
  events?: readonly FeedbackEventType[];
  compact?: boolean;
}

/**
 * Feedback buttons for one song outside a recommendation list (song page, similar songs): a button shows as done
 * the moment it is pressed and is released again if the API refuses the event.
 */
export function SongFeedback({ songId, songName, events = ['play', 'like'], compact }: SongFeedbackProps) {
  const feedback = useRecordFeedback();
  const [done, setDone] = useState<readonly FeedbackEventType[]>([]);

  const onFeedback = (event: FeedbackEventType) => {
    setDone((current) => [...current, event]);
    feedback.mutate({ songId, event }, { onError: () => setDone((current) => current.filter((e) => e !== event)) });
  };

  return (
    <div className="song-feedback">
      <FeedbackButtons songName={songName} events={events} done={done} onFeedback={onFeedback} compact={compact} />
      {feedback.isError ? (
        <p className="song-feedback__error" role="alert">
          Couldn’t save your {feedback.variables.event}: {feedback.error.message}
        </p>
      ) : null}
    </div>
  );
}
