/** The screens of one tenant, each with its own URL. */
import './forms.css';
import { Link } from './router';

export const TENANT_SCREENS = [
  ['', 'Findings'],
  ['/snapshots', 'Snapshots'],
  ['/waivers', 'Waivers and attestations'],
  ['/reports', 'Reports'],
] as const;

export function TenantNav({ slug, current }: { slug: string; current: string }) {
  return (
    <nav aria-label="Tenant" className="tenant-nav">
      {TENANT_SCREENS.map(([path, label]) => (
        <Link key={path} href={`/tenants/${slug}${path}`} aria-current={current === path ? 'page' : undefined}>
          {label}
        </Link>
      ))}
    </nav>
  );
}
