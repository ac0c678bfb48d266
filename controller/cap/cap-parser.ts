/**
 * OASIS Common Alerting Protocol 1.2: parse and validate an alert. The XML is untrusted: no
 * entities are expanded, the size is bounded by the HTTP layer, and every field we use is
 * checked against the standard's enumerations.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';

export const CAP_NS = 'urn:oasis:names:tc:emergency:cap:1.2';

const list = <T extends z.ZodTypeAny>(item: T) =>
  z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(item));
const text = z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().trim().min(1));
const optionalText = z.preprocess(
  (v) => (v === undefined || v === '' ? undefined : typeof v === 'number' ? String(v) : v),
  z.string().trim().optional(),
);
const datetime = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$/,
    'a CAP date-time such as 2026-09-17T14:00:00+07:00',
  );

const resourceSchema = z.object({
  resourceDesc: optionalText,
  mimeType: text,
  size: optionalText,
  uri: optionalText,
  derefUri: optionalText,
});
const areaSchema = z.object({
  areaDesc: text,
  polygon: list(text),
  circle: list(text),
  geocode: list(z.object({ valueName: text, value: text })),
});
const infoSchema = z.object({
  language: optionalText,
  category: list(
    z.enum([
      'Geo',
      'Met',
      'Safety',
      'Security',
      'Rescue',
      'Fire',
      'Health',
      'Env',
      'Transport',
      'Infra',
      'CBRNE',
      'Other',
    ]),
  ).refine((c) => c.length > 0, 'at least one category'),
  event: text,
  urgency: z.enum(['Immediate', 'Expected', 'Future', 'Past', 'Unknown']),
  severity: z.enum(['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown']),
  certainty: z.enum(['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown']),
  effective: datetime.optional(),
  expires: datetime.optional(),
  senderName: optionalText,
  headline: optionalText,
  description: optionalText,
  instruction: optionalText,
  resource: list(resourceSchema),
  area: list(areaSchema),
});
const alertSchema = z.object({
  identifier: text,
  sender: text,
  sent: datetime,
  status: z.enum(['Actual', 'Exercise', 'System', 'Test', 'Draft']),
  msgType: z.enum(['Alert', 'Update', 'Cancel', 'Ack', 'Error']),
  scope: z.enum(['Public', 'Restricted', 'Private']),
  references: optionalText,
  info: list(infoSchema),
});

export type CapAlert = z.infer<typeof alertSchema> & {
  referenced: { sender: string; identifier: string; sent: string }[];
};
export type CapInfo = CapAlert['info'][number];

/** Why a document is refused: `cap_invalid` (not a valid alert) or `cap_wrong_namespace` (not CAP 1.2). */
export class CapError extends Error {
  constructor(
    message: string,
    readonly code: 'cap_invalid' | 'cap_wrong_namespace' = 'cap_invalid',
    readonly params: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * The namespace of the root <alert>, read before prefixes are stripped (stripping them drops the
 * xmlns attributes too): `<alert xmlns="…">` or `<cap:alert xmlns:cap="…">`. Null: none declared.
 */
export function rootNamespace(xml: string): { root: string | null; namespace: string | null } {
  const doc = new XMLParser({
    ignoreAttributes: false,
    removeNSPrefix: false,
    parseTagValue: false,
    processEntities: false,
    attributeNamePrefix: '@',
  }).parse(xml) as Record<string, unknown>;
  const root = Object.keys(doc).find((k) => !k.startsWith('?') && !k.startsWith('#')) ?? null;
  if (root === null) return { root, namespace: null };
  const el = doc[root];
  const prefix = root.includes(':') ? root.slice(0, root.indexOf(':')) : null;
  const ns =
    el && typeof el === 'object' ? (el as Record<string, unknown>)[prefix ? `@xmlns:${prefix}` : '@xmlns'] : undefined;
  return { root: prefix ? root.slice(prefix.length + 1) : root, namespace: typeof ns === 'string' ? ns.trim() : null };
}

/** Sender, identifier and sent as written, for the record of a document that is refused (best effort, never trusted). */
export function peekCap(xml: string): { sender: string; identifier: string; sent: string } {
  const field = (name: string) => new RegExp(`<(?:[\\w.-]+:)?${name}>\\s*([^<]{1,300}?)\\s*</`).exec(xml)?.[1] ?? '';
  return { sender: field('sender'), identifier: field('identifier'), sent: field('sent') };
}

export function parseCap(xml: string): CapAlert {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new CapError(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new CapError('DOCTYPE and entities are not accepted');
  const { root, namespace } = rootNamespace(xml);
  if (root !== 'alert') throw new CapError('the root element is not <alert>');
  // CAP 1.1, 1.0 and documents without a namespace differ in meaning: never read them as 1.2.
  if (namespace !== CAP_NS)
    throw new CapError(`namespace ${namespace ?? '(none)'} is not CAP 1.2`, 'cap_wrong_namespace', {
      namespace: namespace ?? '—',
    });
  const parser = new XMLParser({
    ignoreAttributes: false,
    removeNSPrefix: true,
    parseTagValue: false,
    processEntities: false,
    attributeNamePrefix: '@',
  });
  const doc = parser.parse(xml) as { alert?: Record<string, unknown> };
  if (!doc.alert || typeof doc.alert !== 'object') throw new CapError('the root element is not <alert>');
  const result = alertSchema.safeParse(doc.alert);
  if (!result.success) throw new CapError(z.prettifyError(result.error).slice(0, 500));
  // "sender,identifier,sent" triples separated by white space [CAP 1.2, 3.2.1 references].
  const referenced = (result.data.references ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((triple) => {
      const [sender, identifier, sent] = triple.split(',');
      return { sender, identifier, sent };
    });
  if (referenced.some((r) => !r.sender || !r.identifier || !r.sent))
    throw new CapError('references must be "sender,identifier,sent" triples');
  return { ...result.data, referenced };
}
