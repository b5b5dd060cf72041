#!/usr/bin/env node
//===- run.js - Run an ONNX model on ONNX Runtime (CPU) as a reference ----===//
//
//   node run.js MODEL.onnx OUT_DIR NAME=FILE.npy [NAME=FILE.npy ...]
//
// Runs MODEL on ONNX Runtime's CPU execution provider with every input bound
// to a .npy file, writes each output to OUT_DIR/<name>.npy (characters other
// than letters, digits, '.', '-' and '_' become '_', as npu-run names its
// output files), and prints a JSON list of the outputs written.
//
// onnxruntime-node is looked up in $NPU_ORT_DIR/node_modules, then in
// <repo>/build/ort/node_modules (tools/scripts/setup-ort.sh installs it
// there), then on Node's usual path. Runs with graph optimizations disabled
// and one thread, so that the reference is ONNX's op-by-op semantics.
//
// The .npy reader/writer handles little-endian C-order arrays of float32
// (also float64, int32, int64, uint8, bool), header versions 1.0 and 2.0 in,
// 1.0 out.
//
//===----------------------------------------------------------------------===//
'use strict';

const fs = require('fs');
const path = require('path');

function die(message) {
  process.stderr.write(`run.js: error: ${message}\n`);
  process.exit(1);
}

function loadOrt() {
  const candidates = [];
  if (process.env.NPU_ORT_DIR)
    candidates.push(path.resolve(process.env.NPU_ORT_DIR, 'node_modules'));
  candidates.push(path.resolve(__dirname, '..', '..', 'build', 'ort',
                               'node_modules'));
  for (const dir of candidates) {
    const entry = path.join(dir, 'onnxruntime-node');
    if (fs.existsSync(entry))
      return require(entry);
  }
  try {
    return require('onnxruntime-node');
  } catch (e) {
    die('onnxruntime-node not found (looked in ' + candidates.join(', ') +
        '); run tools/scripts/setup-ort.sh first, or set NPU_ORT_DIR');
  }
}

// numpy dtype descriptor <-> typed array <-> ONNX Runtime tensor type.
const DTYPES = {
  '<f4': { array: Float32Array, ort: 'float32' },
  '<f8': { array: Float64Array, ort: 'float64' },
  '<i4': { array: Int32Array, ort: 'int32' },
  '<i8': { array: BigInt64Array, ort: 'int64' },
  '|u1': { array: Uint8Array, ort: 'uint8' },
  '|b1': { array: Uint8Array, ort: 'bool' },
};

function readNpy(file) {
  const buf = fs.readFileSync(file);
  const magic = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);
  if (buf.length < 10 || !buf.subarray(0, 6).equals(magic))
    throw new Error(`${file}: not a .npy file`);
  const major = buf[6];
  let headerLen, offset;
  if (major === 1) {
    headerLen = buf.readUInt16LE(8);
    offset = 10;
  } else if (major === 2 || major === 3) {
    headerLen = buf.readUInt32LE(8);
    offset = 12;
  } else {
    throw new Error(`${file}: unsupported .npy version ${major}.${buf[7]}`);
  }
  const header = buf.toString('latin1', offset, offset + headerLen);
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shape)
    throw new Error(`${file}: malformed .npy header ${JSON.stringify(header)}`);
  if (fortran[1] !== 'False')
    throw new Error(`${file}: Fortran-order arrays are not supported`);
  const type = DTYPES[descr[1]];
  if (!type)
    throw new Error(`${file}: unsupported dtype '${descr[1]}' (supported: ` +
                    Object.keys(DTYPES).join(', ') + ')');
  const dims = shape[1].split(',').map((s) => s.trim()).filter((s) => s)
                   .map((s) => Number(s));
  const count = dims.reduce((a, b) => a * b, 1);
  const dataOffset = offset + headerLen;
  const bytes = count * type.array.BYTES_PER_ELEMENT;
  if (buf.length - dataOffset !== bytes)
    throw new Error(`${file}: ${buf.length - dataOffset} data bytes, ` +
                    `expected ${bytes} for shape [${dims}]`);
  // Copy into an aligned buffer of its own.
  const data = new type.array(count);
  Buffer.from(data.buffer).set(buf.subarray(dataOffset, dataOffset + bytes));
  return { ort: type.ort, dims, data };
}

function writeNpy(file, tensor) {
  const descr = Object.keys(DTYPES).find((d) => DTYPES[d].ort === tensor.type);
  if (!descr)
    throw new Error(`output type ${tensor.type} has no .npy writer`);
  const dims = tensor.dims.map(Number);
  const shape = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, ` +
               `'shape': ${shape}, }`;
  // Pad with spaces and a final newline to a multiple of 64 bytes in all.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header + ' '.repeat(total - 10 - header.length - 1) + '\n';
  const prefix = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(prefix);
  prefix.writeUInt16LE(header.length, 8);
  const data = tensor.data;
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  fs.writeFileSync(file, Buffer.concat([prefix, Buffer.from(header, 'latin1'),
                                        body]));
}

// As npu-run's safeFileName (runtime/api/Driver.cpp).
function safeFileName(name) {
  let out = name.replace(/[^A-Za-z0-9._-]/g, '_');
  if (out === '' || out === '.' || out === '..')
    out = '_' + out;
  return out;
}

async function main() {
  const args = process.argv.slice(2);
  if (args.length < 2 || args.includes('--help') || args.includes('-h')) {
    process.stderr.write(
        'usage: node run.js MODEL.onnx OUT_DIR NAME=FILE.npy [NAME=FILE.npy ...]\n');
    process.exit(args.length < 2 ? 1 : 0);
  }
  const [modelPath, outDir, ...bindings] = args;
  if (!fs.existsSync(modelPath))
    die(`no such model: ${modelPath}`);

  const ort = loadOrt();
  const session = await ort.InferenceSession.create(modelPath, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'disabled',
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
  });

  const feeds = {};
  for (const binding of bindings) {
    const eq = binding.indexOf('=');
    if (eq <= 0 || eq === binding.length - 1)
      die(`expected NAME=FILE.npy, got '${binding}'`);
    const name = binding.slice(0, eq);
    const file = binding.slice(eq + 1);
    if (!session.inputNames.includes(name))
      die(`unknown input '${name}' (the model's inputs: ` +
          session.inputNames.join(', ') + ')');
    if (name in feeds)
      die(`input '${name}' given twice`);
    let array;
    try {
      array = readNpy(file);
    } catch (e) {
      die(e.message);
    }
    feeds[name] = new ort.Tensor(array.ort, array.data, array.dims);
  }
  const missing = session.inputNames.filter((n) => !(n in feeds));
  if (missing.length)
    die(`missing input(s): ${missing.join(', ')}`);

  const results = await session.run(feeds);
  fs.mkdirSync(outDir, { recursive: true });
  const written = [];
  const files = new Set();
  for (const name of session.outputNames) {
    const tensor = results[name];
    const file = path.join(outDir, safeFileName(name) + '.npy');
    if (files.has(file))
      die(`two outputs would both be written to ${file}`);
    files.add(file);
    writeNpy(file, tensor);
    written.push({ name, file, dtype: tensor.type,
                   shape: tensor.dims.map(Number) });
  }
  process.stdout.write(JSON.stringify(written) + '\n');
}

main().catch((e) => die(e && e.message ? e.message : String(e)));
