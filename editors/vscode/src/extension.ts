// The fairlint VS Code extension: a thin client of `fairlint lsp`. Diagnostics, hovers and code
// actions come from the server; the two commands run the `fairlint scan` command line.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

import { fairlintCommand, INSTALL_HINT, missingFairlint, runFairlint } from './fairlint';
import { FindingsProvider, ScanJson } from './findings';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;

/** The server's settings: the `fairlint` section without the editor-only keys. */
function serverSettings(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration('fairlint');
  const keys = ['policyFile', 'protectedAttributes', 'proxyAttributes', 'minimumSeverity', 'engines', 'cacheDir',
    'debounceMs', 'docsUrl'];
  return Object.fromEntries(keys.map((k) => [k, config.get(k)]));
}

async function startServer(context: vscode.ExtensionContext): Promise<void> {
  const missing = await missingFairlint();
  if (missing) {
    const choice = await vscode.window.showErrorMessage(`fairlint: ${missing}`, 'Copy install command', 'Open settings');
    if (choice === 'Copy install command') {
      await vscode.env.clipboard.writeText("pip install 'fairlint[lsp]'");
    } else if (choice === 'Open settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'fairlint.interpreter');
    }
    return;
  }
  const { command, args } = fairlintCommand(['lsp']);
  const serverOptions: ServerOptions = { command, args, transport: TransportKind.stdio };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { notebook: 'jupyter-notebook', language: 'python' },
    ],
    synchronize: { configurationSection: 'fairlint' },
    initializationOptions: serverSettings(),
    outputChannel: output,
  };
  client = new LanguageClient('fairlint', 'fairlint', serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
}

async function scanWorkspace(context: vscode.ExtensionContext): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    vscode.window.showWarningMessage('fairlint: open a folder to scan it.');
    return;
  }
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fairlint-report-')), 'report.html');
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `fairlint: scanning ${folder.name}` },
    () => runFairlint(['scan', folder.uri.fsPath, '--format', 'html', '--output', report], folder.uri.fsPath));
  if (result.code !== 0) {
    vscode.window.showErrorMessage(`fairlint scan failed: ${result.stderr.trim() || INSTALL_HINT}`);
    return;
  }
  const panel = vscode.window.createWebviewPanel('fairlintReport', `fairlint: ${folder.name}`, vscode.ViewColumn.Active, {
    enableScripts: true, // the report's own inline script, allowed by its Content-Security-Policy (hashes)
    localResourceRoots: [],
  });
  // The page is set as written: its Content-Security-Policy meta tag stays in force in the webview.
  panel.webview.html = fs.readFileSync(report, 'utf8');
  context.subscriptions.push(panel);
}

async function showFindings(provider: FindingsProvider): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    vscode.window.showWarningMessage('fairlint: open a folder to list its findings.');
    return;
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'fairlint: scanning' },
    () => runFairlint(['scan', folder.uri.fsPath, '--format', 'json'], folder.uri.fsPath));
  if (result.code !== 0) {
    vscode.window.showErrorMessage(`fairlint scan failed: ${result.stderr.trim() || INSTALL_HINT}`);
    return;
  }
  provider.show(JSON.parse(result.stdout) as ScanJson);
  await vscode.commands.executeCommand('fairlint.findings.focus');
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('fairlint');
  const provider = new FindingsProvider();
  context.subscriptions.push(
    output,
    vscode.window.registerTreeDataProvider('fairlint.findings', provider),
    vscode.commands.registerCommand('fairlint.scanWorkspace', () => scanWorkspace(context)),
    vscode.commands.registerCommand('fairlint.showFindings', () => showFindings(provider)),
    vscode.commands.registerCommand('fairlint.restartServer', async () => {
      await client?.stop();
      client = undefined;
      await startServer(context);
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('fairlint.interpreter')) {
        await vscode.commands.executeCommand('fairlint.restartServer');
      }
    }),
  );
  await startServer(context);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
