/** Runs one bundled mocha file (tdd ui) of this folder in the extension host; rejects when a test failed. */
import Mocha from 'mocha';
import { join } from 'node:path';

export async function runSuite(file: string): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 120_000, color: false });
  mocha.addFile(join(__dirname, file));
  await mocha.loadFilesAsync();
  await new Promise<void>((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed.`)) : resolve()));
  });
}
