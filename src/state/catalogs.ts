// What the screens list that never changes while the app runs — the producer settings under their Kafka names with
// their explanations, and the lessons in teaching order — handed to the UI from here so that screens read state/
// only, never the engine or the labs themselves.
export { SETTINGS, SETTING_NAMES } from '../kafka/producer/config/settings.js';
export { LABS } from '../labs/catalog.js';
