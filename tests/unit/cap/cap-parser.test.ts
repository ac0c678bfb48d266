/**
 * The CAP parser's namespace rule: only CAP 1.2 is read, whether declared as the default
 * namespace or with a prefix; CAP 1.1 and documents without a namespace are refused with
 * cap_wrong_namespace (stripping prefixes used to drop xmlns, so the check never ran).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAP_NS, CapError, parseCap, peekCap, rootNamespace } from '../../../controller/cap/cap-parser.js';

const sample = (name: string) => readFileSync(new URL(`../../fixtures/cap/${name}`, import.meta.url), 'utf8');
const refusal = (xml: string) => {
  try {
    parseCap(xml);
  } catch (err) {
    return err as CapError;
  }
  throw new Error('not refused');
};

describe('the CAP 1.2 namespace', () => {
  it('reads a CAP 1.2 alert in the default namespace', () => {
    expect(rootNamespace(sample('01-typhoon-alert.xml'))).toEqual({ root: 'alert', namespace: CAP_NS });
    expect(parseCap(sample('01-typhoon-alert.xml')).identifier).toBe('VN-NINHBINH-PCTT-2026-0917-001');
  });

  it('reads a CAP 1.2 alert written with a prefix', () => {
    const prefixed = sample('01-typhoon-alert.xml')
      .replace(
        '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">',
        '<cap:alert xmlns:cap="urn:oasis:names:tc:emergency:cap:1.2">',
      )
      .replace('</alert>', '</cap:alert>')
      .replace(
        /<(\/?)(identifier|sender|sent|status|msgType|scope|info|language|category|event|responseType|urgency|severity|certainty|effective|expires|senderName|headline|description|instruction|area|areaDesc|polygon)>/g,
        '<$1cap:$2>',
      );
    expect(rootNamespace(prefixed)).toEqual({ root: 'alert', namespace: CAP_NS });
    expect(parseCap(prefixed).info[0].event).toBe('Bão số 5');
  });

  it.each([
    ['CAP 1.1', '06-cap11-namespace.xml', 'urn:oasis:names:tc:emergency:cap:1.1'],
    ['no namespace', '07-no-namespace.xml', '—'],
  ])('refuses %s as cap_wrong_namespace', (_what, file, ns) => {
    const err = refusal(sample(file));
    expect(err).toBeInstanceOf(CapError);
    expect(err.code).toBe('cap_wrong_namespace');
    expect(err.params.namespace).toBe(ns);
  });

  it('refuses the CAP 1.2 namespace declared on a prefix the root does not use', () => {
    const err = refusal(sample('01-typhoon-alert.xml').replace('<alert xmlns=', '<alert xmlns:cap='));
    expect(err.code).toBe('cap_wrong_namespace');
  });

  it('still refuses another root as not an alert (cap_invalid)', () => {
    expect(refusal('<feed xmlns="http://www.w3.org/2005/Atom"/>').code).toBe('cap_invalid');
  });

  it('peeks at the sender and identifier of a refused document for its record', () => {
    expect(peekCap(sample('06-cap11-namespace.xml'))).toEqual({
      sender: 'pctt@ninhbinh.example.vn',
      identifier: 'VN-NINHBINH-PCTT-2026-0917-011',
      sent: '2026-09-17T14:00:00+07:00',
    });
    expect(peekCap('not xml')).toEqual({ sender: '', identifier: '', sent: '' });
  });
});
