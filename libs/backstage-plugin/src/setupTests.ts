// vitest runs the Backstage test utilities: their mockApis.* call jest.fn(), which vitest's `vi` provides.
// Without vitest globals, @testing-library/react does not unmount between tests by itself.
// findBy*/waitFor wait up to 10 s: rendering material-table in jsdom takes seconds on a loaded machine.
import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

(globalThis as unknown as { jest: typeof vi }).jest = vi;
configure({ asyncUtilTimeout: 10_000 });
afterEach(() => cleanup());
