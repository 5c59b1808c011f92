// Two projects: `unit` (fast, no lab) and `e2e` (bundled actions against the lab).
// ts-jest transpiles only (isolatedModules); `npm run typecheck` does the type checking.
const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  testEnvironment: 'node',
  moduleNameMapper: {
    '^@deploy-actions/([^/]+)$': '<rootDir>/packages/$1/src/index.ts',
    '^@deploy-actions/([^/]+)/(.+)$': '<rootDir>/packages/$1/src/$2.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.jest.json' }],
  },
};

export default {
  // Bundles, sshd and Docker on two shared cores: jest's 5 s default is too short.
  // (A global option: jest 29 ignores it inside a project.)
  testTimeout: 120_000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/packages/*/__tests__/**/*.test.ts',
        '<rootDir>/actions/*/__tests__/**/*.test.ts',
        // Checks across actions (action.yml against the code and docs).
        '<rootDir>/test/contract/**/*.test.ts',
      ],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      slowTestThreshold: 60,
    },
  ],
};
