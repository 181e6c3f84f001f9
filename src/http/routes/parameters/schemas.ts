export const parametersSchema = {
  title: 'Parameters',
  type: 'object',
  description: "pack id → parameter → value: the tenant's overrides (rule default < pack < tenant)",
  additionalProperties: { type: 'object', maxProperties: 100 },
  maxProperties: 50,
} as const;
