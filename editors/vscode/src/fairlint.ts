// Running the fairlint command line of the configured Python environment.
import { execFile } from 'child_process';
import * as vscode from 'vscode';

export const INSTALL_HINT =
  "fairlint is not installed in this Python environment. Install it with `pip install 'fairlint[lsp]'` " +
  '(from a checkout: `pip install -e ".[lsp]"`), or set "fairlint.interpreter" to the Python of an ' +
  'environment that has it.';

/** The Python interpreter of the environment that has fairlint (setting, else python3 on PATH). */
export function interpreter(): string {
  const configured = vscode.workspace.getConfiguration('fairlint').get<string>('interpreter', '').trim();
  return configured || 'python3';
}

/** The command line of `fairlint <args>` under that interpreter (never a shell). */
export function fairlintCommand(args: string[]): { command: string; args: string[] } {
  return { command: interpreter(), args: ['-m', 'orchestrator.cli.main', ...args] };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `fairlint <args>`; resolves with the exit code and the output (never rejects on exit != 0). */
export function runFairlint(args: string[], cwd?: string): Promise<RunResult> {
  const { command, args: argv } = fairlintCommand(args);
  return new Promise((resolve, reject) => {
    execFile(command, argv, { cwd, maxBuffer: 256 * 1024 * 1024, env: { ...process.env, SEMGREP_ENABLE_VERSION_CHECK: '0' } },
      (error, stdout, stderr) => {
        // error.code: the exit code (a number) when fairlint ran, an errno name when it could not start
        const code = (error as NodeJS.ErrnoException | null)?.code;
        if (typeof code === 'string') {
          reject(new Error(`cannot start ${command}: ${error?.message}`));
          return;
        }
        resolve({ code: error ? Number(code ?? 1) : 0, stdout, stderr });
      });
  });
}

/** Whether fairlint and its Language Server extra can be imported by the interpreter. */
export async function missingFairlint(): Promise<string | undefined> {
  const check = 'import orchestrator.lsp as m, sys; p = m.missing_dependency(); print(p or ""); sys.exit(3 if p else 0)';
  return new Promise((resolve) => {
    execFile(interpreter(), ['-c', check], (error, stdout) => {
      if (!error) {
        resolve(undefined);
      } else if ((error as { code?: unknown }).code === 3) {
        resolve(stdout.trim());
      } else if (typeof (error as NodeJS.ErrnoException).code === 'string') {
        resolve(`The Python interpreter "${interpreter()}" cannot be started. ${INSTALL_HINT}`);
      } else {
        resolve(INSTALL_HINT);
      }
    });
  });
}
