export {
  INTERACTION_EVENT_TYPES,
  type InteractionEventType,
  type InteractionEvent,
  PLAY_WEIGHT,
  LIKE_WEIGHT,
  SKIP_WEIGHT,
  DEFAULT_EVENT_WEIGHTS,
  isInteractionEventType,
} from './lib/interaction-event';
export {
  INTERACTIONS_CSV_HEADER,
  InteractionsCsvError,
  formatInteractionsCsv,
  parseInteractionsCsv,
} from './lib/interactions-csv';
export {
  TASTE_FEATURES,
  type TasteFeature,
  TEMPO_MIN_BPM,
  TEMPO_MAX_BPM,
  tasteValue,
  tasteMatrix,
  tasteDistance,
} from './lib/taste-space';
export {
  ListenerSimulator,
  simulateListeners,
  DEFAULT_SIMULATION_OPTIONS,
  DEMO_SIMULATION,
  type SimulationOptions,
  type EventsPerUser,
  type SimulatedUser,
  type SimulationResult,
} from './lib/listener-simulator';
