import { createWaiver, type CreateWaiverInput } from '../../../domain/waivers.js';
import { defineRoute } from '../../route.js';
import { errorResponses } from '../../schemas.js';
import { waiverSchema } from './schemas.js';

export default defineRoute<Record<string, never>, CreateWaiverInput>({
  method: 'post',
  path: '/v1/tenants/:tenant/waivers',
  operationId: 'createWaiver',
  summary:
    'Request a waiver: accept a risk for a rule (in one pack, or all) on matching items until expiresAt (at most a year). It is pending, and applies only once someone else approves it',
  tag: 'waivers',
  auth: 'waivers:write',
  audit: 'waiver.create',
  body: {
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['ruleId', 'itemMatch', 'justification', 'expiresAt'],
      properties: {
        ruleId: { type: 'string', minLength: 1, maxLength: 100 },
        packId: { type: 'string', minLength: 1, maxLength: 100 },
        itemMatch: {
          type: 'string',
          minLength: 1,
          maxLength: 500,
          description:
            'an exact item id, or a glob: * (any characters, / and . included), ?, [a-z], [!a-z], \\ escapes. A leading !, braces, extglobs, POSIX classes and an unclosed [ are refused (422)',
        },
        justification: { type: 'string', minLength: 10, maxLength: 4000 },
        approvedBy: {
          description:
            'refused (422): approval is its own call, POST …/waivers/{id}/approve, by someone other than the requester',
        },
        expiresAt: { type: 'string', format: 'date-time' },
      },
    },
    example: {
      ruleId: 'firewall.no-admin-ports-from-internet',
      itemMatch: 'wan-ssh-*',
      justification: 'Vendor support tunnel, source-restricted at the ISP; replaced by the VPN in Q1.',
      expiresAt: '2027-03-31T00:00:00Z',
    },
  },
  responses: {
    201: { description: 'the waiver, pending approval', schema: waiverSchema },
    ...errorResponses(401, 403, 404, 422),
  },
  handler: async ({ tenant, body, ctx }) => {
    const w = await createWaiver(ctx, tenant, body);
    return { status: 201, body: w, headers: { Location: `/v1/tenants/${tenant.slug}/waivers/${w.id}` } };
  },
});
