/** `admin` may do everything an operator may, and also set up site peers and their encryption policy. */
export const ROLES = ['admin', 'operator', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
