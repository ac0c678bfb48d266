import type { REJECT_REASONS } from '../../controller/protocol/messages.js';

export type RejectReason = (typeof REJECT_REASONS)[number];
/** "duplicate" is not a rejection: the same command delivered twice is ignored quietly. */
export type RejectReasonOrDuplicate = RejectReason | 'duplicate';
