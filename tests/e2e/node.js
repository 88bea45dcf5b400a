// Starts a real `tos-node` process for a test and stops it afterwards.
//
// The binary is `$TOS_NODE_BIN`, else `$CARGO_TARGET_DIR/debug/tos-node`, else the workspace's
// `target/debug/tos-node` (what `cargo build -p tos-node` / `cargo test` produce).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function nodeBinary () {
  const candidates = [
    process.env.TOS_NODE_BIN,
    process.env.CARGO_TARGET_DIR && path.join(process.env.CARGO_TARGET_DIR, 'debug', 'tos-node'),
    path.join(root, 'target', 'debug', 'tos-node')
  ].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(`tos-node not found (tried ${candidates.join(', ')}); run cargo build -p tos-node`);
  }
  return found;
}

// Starts `tos-node <args>` with a free RPC port and resolves with its WebSocket endpoint once
// the JSON-RPC server is listening.
export async function startNode (args = ['--dev']) {
  const child = spawn(nodeBinary(), [...args, '--rpc-port', '0', '--no-prometheus'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'info' }
  });
  let log = '';
  const endpoint = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node did not start:\n${log}`)), 60_000);
    child.stderr.on('data', (chunk) => {
      log += chunk.toString();
      const match = /Running JSON-RPC server: addr=([\d.]+):(\d+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(`ws://${match[1]}:${match[2]}`);
      }
    });
    child.on('exit', (code) => reject(new Error(`node exited with ${code}:\n${log}`)));
  });
  return {
    endpoint,
    http: endpoint.replace('ws://', 'http://'),
    log: () => log,
    async stop () {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  };
}
