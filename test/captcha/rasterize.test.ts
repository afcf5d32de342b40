// The polygon rasterizer's coverage: exact areas, clipping, winding.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rasterizer } from '../../src/captcha/rasterize.ts';

function coverage(width: number, height: number, ...polygons: Array<{ points: number[]; reverse?: boolean }>): Float32Array {
  const raster = new Rasterizer();
  raster.reset(width, height);
  for (const { points, reverse } of polygons) raster.polygon(Float64Array.from(points), 0, points.length / 2, reverse);
  const out = new Float32Array(width * height);
  raster.resolve(out);
  return out;
}

const near = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-3, `${actual} ≈ ${expected}`);

describe('Rasterizer', () => {
  it('covers exactly the pixels of a pixel-aligned square', () => {
    const c = coverage(8, 8, { points: [2, 2, 6, 2, 6, 6, 2, 6] });
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) near(c[y * 8 + x]!, x >= 2 && x < 6 && y >= 2 && y < 6 ? 1 : 0);
  });

  it('gives partly covered pixels their exact area', () => {
    const c = coverage(4, 4, { points: [0.5, 1, 2.25, 1, 2.25, 2, 0.5, 2] });
    near(c[4]!, 0.5);
    near(c[5]!, 1);
    near(c[6]!, 0.25);
    near(c[7]!, 0);
    // A triangle over one pixel covers half of it.
    near(coverage(2, 2, { points: [0, 0, 1, 0, 0, 1] })[0]!, 0.5);
  });

  it('is the same whichever way round a polygon winds', () => {
    const square = [1.3, 0.7, 4.6, 1.1, 4.2, 3.9, 0.8, 3.5];
    assert.deepEqual(coverage(6, 5, { points: square }), coverage(6, 5, { points: square, reverse: true }));
  });

  it('cancels where polygons of opposite winding overlap', () => {
    const c = coverage(6, 2, { points: [0, 0, 4, 0, 4, 2, 0, 2] }, { points: [2, 0, 6, 0, 6, 2, 2, 2], reverse: true });
    assert.deepEqual(Array.from(c.subarray(0, 6)).map(Math.round), [1, 1, 0, 0, 1, 1]);
  });

  it('clips edges outside the canvas and keeps the coverage to their right', () => {
    const c = coverage(6, 4, { points: [-10, -3, 3, -3, 3, 9, -10, 9] });
    for (let y = 0; y < 4; y++) for (let x = 0; x < 6; x++) near(c[y * 6 + x]!, x < 3 ? 1 : 0);
    const slanted = coverage(6, 4, { points: [-4, -2, 10, 6, 10, -2] });
    const whole = coverage(30, 20, { points: [8, 8, 22, 16, 22, 8] });
    for (let y = 0; y < 4; y++) for (let x = 0; x < 6; x++) near(slanted[y * 6 + x]!, whole[(y + 10) * 30 + x + 12]!);
  });

  it('starts every image from an empty canvas', () => {
    const raster = new Rasterizer();
    raster.reset(4, 4);
    raster.polygon(Float64Array.from([0, 0, 4, 0, 4, 4, 0, 4]), 0, 4);
    raster.reset(4, 4); // drawn but never read: must not leak into the next image
    const out = new Float32Array(16);
    raster.resolve(out);
    assert.deepEqual(Array.from(out), new Array(16).fill(0));
  });
});
