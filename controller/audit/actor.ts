/** Who did something, as the audit log records it: an account, a token, a receiver or the system, and from where. */
export interface Actor {
  id: string;
  ip?: string;
}
