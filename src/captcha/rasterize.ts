// Anti-aliased polygon rasterizer: exact-area signed accumulation (after font-rs) into a cell buffer.

/** Full coverage in the cells' fixed-point unit. */
export const ONE = 1 << 16;

// Edges of the polygon being drawn, as x0, y0, x1, y1 quads (shared: drawing is synchronous).
let segments = new Float64Array(1024);

/**
 * Accumulates closed polygons into a signed-area buffer of fixed-point integers (integer prefix
 * sums are several times faster than float ones). The coverage of pixel (x, y) is
 * min(ONE, |sum of cells[y * stride .. y * stride + x]|) / ONE: overlapping shapes of the same
 * orientation add up and are clamped (close to the non-zero rule), opposite ones cancel.
 * Edges outside the canvas are clipped.
 *
 * Every cell written is also flagged in `marks` (bit x & 31 of word y * words + (x >> 5)), so a
 * reader can jump from one written cell to the next: coverage is constant in between. Whoever
 * reads the layer must zero the cells and marks it read and then call `cleared()` (as `resolve`
 * does), so the next image starts empty.
 */
export class Rasterizer {
  width = 0;
  height = 0;
  /** Cells per row: width plus two spare cells, where edges clamped to x = width write. */
  stride = 2;
  cells = new Int32Array(0);
  /** 32-bit words of marks per row. */
  words = 1;
  marks = new Int32Array(0);
  private dirty = false;

  /** Makes the canvas `width` × `height` and empty, reusing the buffer when it is big enough. */
  reset(width: number, height: number): void {
    const size = (width + 2) * height;
    const words = (width + 2 + 31) >> 5;
    if (this.cells.length < size) this.cells = new Int32Array(size);
    else if (this.dirty) this.cells.fill(0);
    if (this.marks.length < words * height) this.marks = new Int32Array(words * height);
    else if (this.dirty) this.marks.fill(0);
    this.width = width;
    this.height = height;
    this.stride = width + 2;
    this.words = words;
    this.dirty = true;
  }

  /** Tells the rasterizer that its reader zeroed every cell. */
  cleared(): void {
    this.dirty = false;
  }

  /** Adds the closed polygon of points [start, end) of `xy` (x, y pairs); `reverse` flips its winding. */
  polygon(xy: Float64Array, start: number, end: number, reverse = false): void {
    if (end - start < 3) return;
    if (segments.length < (end - start) * 12) segments = new Float64Array((end - start) * 12);
    const w = this.width;
    const h = this.height;
    let n = 0;
    let px = xy[2 * end - 2]!;
    let py = xy[2 * end - 1]!;
    for (let i = start; i < end; i++) {
      const x = xy[2 * i]!;
      const y = xy[2 * i + 1]!;
      const ax = reverse ? x : px;
      const ay = reverse ? y : py;
      const bx = reverse ? px : x;
      const by = reverse ? py : y;
      if (x >= 0 && x <= w && y >= 0 && y <= h && px >= 0 && px <= w && py >= 0 && py <= h) {
        segments[n] = ax;
        segments[n + 1] = ay;
        segments[n + 2] = bx;
        segments[n + 3] = by;
        n += 4;
      } else {
        n = this.clip(ax, ay, bx, by, n);
      }
      px = x;
      py = y;
    }
    this.accumulate(n);
  }

  // Clips an edge to the canvas into `segments` at n (up to three pieces); returns the new end.
  // Edges are split where they cross x = 0 and x = width and clamped: coverage left of the
  // canvas still counts for the pixels to its right, and nothing right of it is visible.
  private clip(x0: number, y0: number, x1: number, y1: number, n: number): number {
    const h = this.height;
    const w = this.width;
    if (y0 === y1 || (y0 <= 0 && y1 <= 0) || (y0 >= h && y1 >= h)) return n;
    const dxdy = (x1 - x0) / (y1 - y0);
    if (y0 < 0) {
      x0 -= y0 * dxdy;
      y0 = 0;
    } else if (y0 > h) {
      x0 += (h - y0) * dxdy;
      y0 = h;
    }
    if (y1 < 0) {
      x1 -= y1 * dxdy;
      y1 = 0;
    } else if (y1 > h) {
      x1 += (h - y1) * dxdy;
      y1 = h;
    }
    // Split points at x = 0 and x = width, in order along the edge (2: no split).
    const tLeft = (x0 < 0) !== (x1 < 0) ? (0 - x0) / (x1 - x0) : 2;
    const tRight = (x0 > w) !== (x1 > w) ? (w - x0) / (x1 - x0) : 2;
    const tFirst = tLeft < tRight ? tLeft : tRight;
    const tSecond = tLeft < tRight ? tRight : tLeft;
    let sx = x0;
    let sy = y0;
    for (let piece = 0; piece < 3; piece++) {
      const t = piece === 0 ? tFirst : piece === 1 ? tSecond : 1;
      if (t > 1) continue;
      const ex = t === 1 ? x1 : x0 + (x1 - x0) * t;
      const ey = t === 1 ? y1 : y0 + (y1 - y0) * t;
      segments[n] = sx < 0 ? 0 : sx > w ? w : sx;
      segments[n + 1] = sy;
      segments[n + 2] = ex < 0 ? 0 : ex > w ? w : ex;
      segments[n + 3] = ey;
      n += 4;
      sx = ex;
      sy = ey;
    }
    return n;
  }

  // Adds the exact area to the right of each edge in segments[0, n), row by row. The edges lie
  // inside the canvas. One call per polygon: a call per edge would box its four doubles.
  private accumulate(n: number): void {
    const a = this.cells;
    const marks = this.marks;
    const stride = this.stride;
    const words = this.words;
    for (let k = 0; k < n; k += 4) {
      const ay = segments[k + 1]!;
      const by = segments[k + 3]!;
      if (ay === by) continue;
      let dir = 1;
      let x = segments[k]!;
      let y0 = ay;
      let y1 = by;
      let xEnd = segments[k + 2]!;
      if (ay > by) {
        dir = -1;
        x = xEnd;
        xEnd = segments[k]!;
        y0 = by;
        y1 = ay;
      }
      const dxdy = (xEnd - x) / (y1 - y0);
      const rowEnd = y1 > (y1 | 0) ? (y1 | 0) + 1 : y1 | 0;
      for (let row = y0 | 0; row < rowEnd; row++) {
        const line = row * stride;
        const marked = row * words;
        const dy = (row + 1 < y1 ? row + 1 : y1) - (row > y0 ? row : y0);
        const xNext = x + dxdy * dy;
        // Each row's parts add up to exactly v, so rounding never leaks into the next pixels.
        const v = (dy * dir * ONE) | 0;
        const lo = x < xNext ? x : xNext;
        const hi = x < xNext ? xNext : x;
        const loI = lo | 0; // lo >= 0
        const hiI = hi > (hi | 0) ? (hi | 0) + 1 : hi | 0;
        if (hiI <= loI + 1) {
          const right = (v * (0.5 * (x + xNext) - loI)) | 0;
          a[line + loI]! += v - right;
          a[line + loI + 1]! += right;
          marks[marked + (loI >> 5)]! |= 1 << (loI & 31);
          marks[marked + ((loI + 1) >> 5)]! |= 1 << ((loI + 1) & 31);
        } else {
          const s = 1 / (hi - lo);
          const lof = lo - loI;
          const hif = hi - hiI + 1;
          const first = (v * 0.5 * s * (1 - lof) * (1 - lof)) | 0;
          const last = (v * 0.5 * s * hif * hif) | 0;
          a[line + loI]! += first;
          a[line + hiI]! += last;
          if (hiI === loI + 2) {
            a[line + loI + 1]! += v - first - last;
          } else {
            const second = (v * s * (1.5 - lof)) | 0;
            a[line + loI + 1]! += second - first;
            const step = (v * s) | 0;
            let rest = v - second - last;
            for (let xi = loI + 2; xi < hiI - 1; xi++) {
              a[line + xi]! += step;
              rest -= step;
            }
            a[line + hiI - 1]! += rest;
          }
          for (let xi = loI; xi <= hiI; xi++) marks[marked + (xi >> 5)]! |= 1 << (xi & 31);
        }
        x = xNext;
      }
    }
  }

  /** Writes the coverage of every pixel (row-major, `width` × `height`) into `out` and clears the canvas. */
  resolve(out: Float32Array): void {
    const a = this.cells;
    const { width: w, height: h, stride } = this;
    let o = 0;
    for (let row = 0; row < h; row++) {
      let i = row * stride;
      let sum = 0;
      for (let col = 0; col < w; col++, i++, o++) {
        sum += a[i]!;
        a[i] = 0;
        const c = sum < 0 ? -sum : sum;
        out[o] = c > ONE ? 1 : c / ONE;
      }
      a[i] = 0;
      a[i + 1] = 0;
    }
    this.marks.fill(0);
    this.dirty = false;
  }
}
