import type { RecommendationReasonDto } from '@encore/api-contract';
import { Icon, type IconName } from '../../../ui/icons';

function iconFor(source: string): IconName {
  if (source === 'popularity') return 'flame';
  if (source === 'content') return 'wave';
  if (source === 'als' || source === 'item-knn' || source === 'cf') return 'users';
  return 'sparkle';
}

/** Why a song is in a list, in the API's words ("Because you liked …", "Popular in indie"). */
export function Reason({ reason }: { reason: RecommendationReasonDto }) {
  return (
    <p className={`reason reason--${iconFor(reason.source)}`}>
      <Icon name={iconFor(reason.source)} />
      <span>{reason.text}</span>
    </p>
  );
}
