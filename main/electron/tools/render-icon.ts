/**
 * Renders resources/icons/icon.svg to the PNG electron-builder turns into the Windows .ico
 * (it needs at least 256x256; 1024 also covers macOS). Run after editing the SVG and commit
 * both: `npx tsx main/electron/tools/render-icon.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCanvas, loadImage } from '@napi-rs/canvas';

const SIZE = 1024;
const iconsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'resources', 'icons');

const svg = readFileSync(path.join(iconsDir, 'icon.svg'));
const image = await loadImage(svg);
const canvas = createCanvas(SIZE, SIZE);
canvas.getContext('2d').drawImage(image, 0, 0, SIZE, SIZE);
writeFileSync(path.join(iconsDir, 'icon.png'), await canvas.encode('png'));
process.stdout.write(`Rendered ${path.join('resources', 'icons', 'icon.png')} (${SIZE}x${SIZE})\n`);
