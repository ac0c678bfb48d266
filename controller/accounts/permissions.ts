/**
 * Roles and what they may do: the one permission table. Every route names the permission it
 * needs; the role x route matrix test walks every route against every role.
 * Circular 39/2020 levels map to three broadcast permissions: an operator prepares and
 * schedules normal and priority items; emergencies are for the UBND's approvers and admins.
 */
export const ROLES = ['admin', 'operator', 'approver', 'technician', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'hamlets:read',
  'hamlets:write',
  'receivers:read',
  'receivers:write',
  'media:read',
  'media:write',
  'bulletins:read',
  'bulletins:write',
  'bulletins:approve',
  'broadcasts:read',
  'broadcast:normal',
  'broadcast:priority',
  'broadcast:emergency',
  'schedules:write',
  'coverage:read',
  'alerts:read',
  'alerts:ingest',
  'audit:read',
  'users:manage',
  'tokens:manage',
  'webhooks:manage',
  'system:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = [
  'hamlets:read',
  'receivers:read',
  'media:read',
  'bulletins:read',
  'broadcasts:read',
  'coverage:read',
  'alerts:read',
];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(PERMISSIONS),
  operator: new Set([
    ...READ,
    'media:write',
    'bulletins:write',
    'broadcast:normal',
    'broadcast:priority',
    'schedules:write',
  ]),
  approver: new Set([
    ...READ,
    'media:write',
    'bulletins:write',
    'bulletins:approve',
    'broadcast:normal',
    'broadcast:priority',
    'broadcast:emergency',
    'schedules:write',
    'audit:read',
    'alerts:ingest',
  ]),
  technician: new Set([...READ, 'receivers:write', 'system:read']),
  viewer: new Set(READ),
};

/** What a principal may do: its role, narrowed by a token's scopes when it has any. */
export function effectivePermissions(role: Role, scopes: Permission[] | null): Set<Permission> {
  const fromRole = ROLE_PERMISSIONS[role];
  return new Set(scopes ? scopes.filter((p) => fromRole.has(p)) : fromRole);
}

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
