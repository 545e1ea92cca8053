// vitest runs the Backstage test utilities: their mockApis.* call jest.fn(), which vitest's `vi` provides.
import '@testing-library/jest-dom/vitest';
import { vi } from 'vitest';

(globalThis as unknown as { jest: typeof vi }).jest = vi;
