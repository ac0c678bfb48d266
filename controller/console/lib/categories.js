// Pure: tests/unit/console-categories.test.ts compares it with the server's list.
/** Bulletin categories (CATEGORIES in controller/bulletins/bulletins-read-model.ts), the commune's notices first (the most common): bulletins and schedules. */
export const CATEGORIES = [
  'commune_notice',
  'party_state_policy',
  'law',
  'security_order',
  'disaster_prevention',
  'health',
  'agriculture',
  'good_deeds',
  'holidays',
  'mass_organisations',
  'other',
];
