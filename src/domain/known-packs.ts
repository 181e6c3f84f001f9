/** The packs shipped in rules/packs/ (their ids are what tenants choose among). */
export const KNOWN_PACKS = ['hipaa-security-rule', 'pci-dss-4.0.1', 'cis-controls-8.1', 'msp-technician-hygiene'] as const;
