// "fairlint: Show findings": `fairlint scan --format json` as a tree grouped by stage and pattern.
import * as path from 'path';
import * as vscode from 'vscode';

/** The fields of a finding in `fairlint scan --format json` that the tree shows. */
export interface Finding {
  rule_id: string;
  bias_pattern: string;
  pattern_name: string;
  stage: string;
  message: string;
  path: string;
  start_line: number;
  severity: string;
  score: number;
  repository_level: boolean;
  cell: { index: number; line: number } | null;
}

export interface ScanJson {
  root: string;
  findings: Finding[];
}

const STAGES = ['dataset', 'preparation', 'training', 'compression', 'evaluation', 'decision'];

type Node =
  | { kind: 'stage'; stage: string; findings: Finding[] }
  | { kind: 'pattern'; pattern: string; name: string; findings: Finding[] }
  | { kind: 'finding'; finding: Finding };

export class FindingsProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private scan: ScanJson | undefined;

  show(scan: ScanJson): void {
    this.scan = scan;
    this.changed.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    if (!this.scan) {
      return [];
    }
    if (!node) {
      const stages = [...new Set(this.scan.findings.map((f) => f.stage))];
      stages.sort((a, b) => rank(a) - rank(b));
      return stages.map((stage) => ({ kind: 'stage', stage, findings: this.scan!.findings.filter((f) => f.stage === stage) }));
    }
    if (node.kind === 'stage') {
      const patterns = [...new Set(node.findings.map((f) => f.bias_pattern))].sort();
      return patterns.map((pattern) => {
        const findings = node.findings.filter((f) => f.bias_pattern === pattern);
        return { kind: 'pattern', pattern, name: findings[0].pattern_name, findings };
      });
    }
    if (node.kind === 'pattern') {
      return [...node.findings].sort((a, b) => b.score - a.score).map((finding) => ({ kind: 'finding', finding }));
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'stage') {
      const item = new vscode.TreeItem(node.stage, vscode.TreeItemCollapsibleState.Expanded);
      item.description = `${node.findings.length} finding(s)`;
      return item;
    }
    if (node.kind === 'pattern') {
      const item = new vscode.TreeItem(`${node.pattern} ${node.name}`, vscode.TreeItemCollapsibleState.Collapsed);
      item.description = `${node.findings.length}`;
      return item;
    }
    const f = node.finding;
    const where = f.cell ? `${f.path} cell ${f.cell.index}:${f.start_line}` : `${f.path}:${f.start_line}`;
    const item = new vscode.TreeItem(where, vscode.TreeItemCollapsibleState.None);
    item.description = `${f.severity} ${f.score.toFixed(1)}${f.repository_level ? ' (repository-level)' : ''}`;
    item.tooltip = new vscode.MarkdownString(`**${f.rule_id}**\n\n${f.message}`);
    item.iconPath = new vscode.ThemeIcon(f.severity === 'critical' || f.severity === 'high' ? 'error' : 'warning');
    if (this.scan && !f.cell) {
      const line = Math.max(f.start_line - 1, 0);
      item.command = {
        command: 'vscode.open',
        title: 'Open',
        arguments: [vscode.Uri.file(path.join(this.scan.root, f.path)), { selection: new vscode.Range(line, 0, line, 0) }],
      };
    } else if (this.scan) {
      item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(path.join(this.scan.root, f.path))] };
    }
    return item;
  }
}

function rank(stage: string): number {
  const i = STAGES.indexOf(stage);
  return i < 0 ? STAGES.length : i;
}
