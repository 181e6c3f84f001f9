/** How a requirement is named in the body: the pack's short name and the requirement id ("HIPAA 164.312(d)"). */
import type { RenderContext } from '../context.js';

const SHORT: Record<string, string> = {
  'hipaa-security-rule': 'HIPAA',
  'pci-dss-4.0.1': 'PCI DSS',
  'cis-controls-8.1': 'CIS',
  'msp-technician-hygiene': 'MSP hygiene',
};

/** The pack's short label: a known one, else its title up to the first space-and-parenthesis or colon. */
export function packLabel(ctx: RenderContext, packId: string): string {
  const known = SHORT[packId];
  if (known) return known;
  const title = ctx.data.evaluation.packs.find((p) => p.id === packId)?.title ?? packId;
  return title.split(/ \(|:/)[0]!;
}

export function requirementLabel(ctx: RenderContext, r: { pack: string; id: string }): string {
  return `${packLabel(ctx, r.pack)} ${r.id}`;
}

/** "HIPAA 164.308(a)(1)(ii)(B), 164.312(d); PCI DSS 8.4.2": requirements grouped by pack, in their order. */
export function requirementsText(ctx: RenderContext, reqs: readonly { pack: string; id: string }[]): string {
  const byPack = new Map<string, string[]>();
  for (const r of reqs) {
    const ids = byPack.get(r.pack) ?? [];
    if (!ids.includes(r.id)) ids.push(r.id);
    byPack.set(r.pack, ids);
  }
  return [...byPack].map(([pack, ids]) => `${packLabel(ctx, pack)} ${ids.join(', ')}`).join('; ');
}
