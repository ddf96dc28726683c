// The configuration review for the Settings screen's live panel: computed from the running producer's settings
// (the ones the user set, against kafka-clients' newest defaults), once per configuration object.
import { NEWEST_CLIENT } from '../kafka/producer/config/client-defaults.js';
import { reviewConfig, type ConfigReview } from '../kafka/producer/config/config-review.js';
import type { EffectiveConfig } from '../kafka/producer/config/settings.js';
import { userSettings } from './config-files.js';

export type { ConfigReview, ReviewRow, ReviewVerdict } from '../kafka/producer/config/config-review.js';
export { FORMAT_TITLES, type ExportFormat } from '../kafka/producer/config/export-formats/index.js';

const cache = new WeakMap<EffectiveConfig, ConfigReview>();

export function reviewOf(config: EffectiveConfig): ConfigReview {
  let review = cache.get(config);
  if (!review) {
    review = reviewConfig(userSettings(config), NEWEST_CLIENT);
    cache.set(config, review);
  }
  return review;
}
