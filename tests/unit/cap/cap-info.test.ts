/**
 * Which <info> block is acted on: every Vietnamese block is judged, the most severe one over a
 * hamlet wins (tests/fixtures/cap/04-two-blocks-flash-flood.xml: a moderate rain warning
 * elsewhere first, the flash flood over a hamlet second); without a Vietnamese block nothing is
 * read aloud.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { blocksToEvaluate, chooseInfo, isVietnamese } from '../../../controller/cap/cap-info.js';
import { parseCap, type CapInfo } from '../../../controller/cap/cap-parser.js';

const sample = (name: string) => parseCap(readFileSync(new URL(`../../fixtures/cap/${name}`, import.meta.url), 'utf8'));
const evaluated = (info: CapInfo, hamlets: string[], priority: string, expired = false) => ({
  info,
  hamlets,
  priority,
  expired,
});

describe('the language of a block', () => {
  it('takes vi and vi-VN, not en-US', () => {
    const [rain, english, flood] = sample('04-two-blocks-flash-flood.xml').info;
    expect([rain, english, flood].map(isVietnamese)).toEqual([true, false, true]);
    expect(isVietnamese(sample('09-unknown-sender.xml').info[0])).toBe(true); // <language>vi</language>
  });

  it('judges a block without <language> by its letters', () => {
    const [flood] = sample('09-unknown-sender.xml').info;
    expect(isVietnamese({ ...flood, language: undefined })).toBe(true);
    const [landslide] = sample('08-english-only.xml').info;
    expect(isVietnamese({ ...landslide, language: undefined })).toBe(false);
  });

  it('evaluates only the Vietnamese blocks, or all of them when there is none', () => {
    expect(blocksToEvaluate(sample('04-two-blocks-flash-flood.xml').info)).toMatchObject({
      vietnamese: true,
      blocks: [{ event: 'Mưa lớn' }, { event: 'Lũ quét' }],
    });
    expect(blocksToEvaluate(sample('08-english-only.xml').info)).toMatchObject({
      vietnamese: false,
      blocks: [{ event: 'Landslide' }],
    });
  });
});

describe('the block acted on', () => {
  const [rain, english, flood] = sample('04-two-blocks-flash-flood.xml').info;

  it('is the flash flood over the hamlet, not the first block (rain elsewhere)', () => {
    expect(chooseInfo([evaluated(rain, [], 'priority'), evaluated(flood, ['thon-doi'], 'emergency')])?.info.event).toBe(
      'Lũ quét',
    );
  });

  it('prefers a block over a hamlet to a more severe one elsewhere', () => {
    expect(chooseInfo([evaluated(flood, [], 'emergency'), evaluated(rain, ['thon-doi'], 'priority')])?.info.event).toBe(
      'Mưa lớn',
    );
  });

  it('prefers the higher priority, then the higher severity, then the earlier block', () => {
    expect(chooseInfo([evaluated(rain, ['a'], 'priority'), evaluated(flood, ['a'], 'emergency')])?.info.event).toBe(
      'Lũ quét',
    );
    expect(chooseInfo([evaluated(rain, ['a'], 'normal'), evaluated(flood, ['a'], 'normal')])?.info.event).toBe(
      'Lũ quét',
    ); // Extreme over Moderate
    expect(
      chooseInfo([evaluated(flood, ['a'], 'emergency'), evaluated(english, ['a'], 'emergency')])?.info.language,
    ).toBe('vi-VN');
  });

  it('prefers a live block to an expired one', () => {
    expect(
      chooseInfo([evaluated(flood, ['a'], 'emergency', true), evaluated(rain, ['a'], 'priority')])?.info.event,
    ).toBe('Mưa lớn');
  });

  it('is none for no blocks', () => {
    expect(chooseInfo([])).toBeUndefined();
  });
});
