/** ZooKeeper path helpers (wire-protocol.md §8 path rules, as far as the UI checks them). */

export function parentOf(path: string): string | null {
  if (path === '/') return null;
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function nameOf(path: string): string {
  return path === '/' ? '/' : path.slice(path.lastIndexOf('/') + 1);
}

export function joinPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

/** `/a/b/c` → [`/`, `/a`, `/a/b`, `/a/b/c`]. */
export function ancestorsOf(path: string): string[] {
  const out = ['/'];
  if (path === '/') return out;
  let acc = '';
  for (const part of path.split('/').slice(1)) {
    acc += '/' + part;
    out.push(acc);
  }
  return out;
}

export function depthOf(path: string): number {
  return path === '/' ? 0 : path.split('/').length - 1;
}

/** Why a path is invalid, as an i18n key suffix (`path.problem.<code>`). */
export type PathProblem = 'empty' | 'no-leading-slash' | 'trailing-slash' | 'empty-name' | 'dot-name' | 'control-char';

/** Null when valid, otherwise the reason (the server has the final word; this catches typos early). */
export function pathProblem(path: string): PathProblem | null {
  if (path.length === 0) return 'empty';
  if (!path.startsWith('/')) return 'no-leading-slash';
  if (path.length > 1 && path.endsWith('/')) return 'trailing-slash';
  if (path.includes('//')) return 'empty-name';
  if (/(^|\/)\.\.?(\/|$)/.test(path)) return 'dot-name';
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'control-char';
  return null;
}

/** Sequential node names end in a 10-digit counter (wire-protocol.md §10.1). */
export function isSequentialName(name: string): boolean {
  return /\d{10}$/.test(name);
}
