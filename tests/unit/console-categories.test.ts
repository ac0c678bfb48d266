/** The console's category list (bulletins, schedules) is the server's: every one, no other. */
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../controller/bulletins/bulletins-read-model.js';
// @ts-expect-error: the console's plain JavaScript module has no type declarations.
import { CATEGORIES as CONSOLE_CATEGORIES } from '../../controller/console/lib/categories.js';

describe('the console offers every category', () => {
  it('the same as the server', () => {
    expect([...CONSOLE_CATEGORIES].sort()).toEqual([...CATEGORIES].sort());
  });
});
