/* Drawings of the image as standalone SVG documents:
 *
 *   inspect_sizes_svg  a treemap: each object a rectangle of an area by its
 *                      bytes, its symbols rectangles within, coloured by kind
 *   inspect_refs_svg   a symbol in the middle, what references it on the
 *                      left, what it references on the right
 *
 * and the text escaping that these, the JSON listings and the DOT graphs
 * share. Every shape has a <title>, which a browser shows as a tooltip:
 * labels are cut to fit, the tooltips are not. */
#include <float.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inspect.h"
#include "svg.h"
#include "util.h"

/* ---- SVG ---- */

#define FONT 11.0               /* px; labels are monospace ... */
#define CHAR_W (FONT * 0.62)    /* ... so that a width says how many fit */

static void svg_begin(struct strbuf *svg, double w, double h)
{
    sb_printf(svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                   "viewBox=\"0 0 %.0f %.0f\" font-family=\"monospace\" font-size=\"%.0f\" "
                   "style=\"background:#fff\">\n",
              w, h, w, h, FONT);
}

/* s at (x, y), cut with an ellipsis to fit width w, or nothing if too
 * little of it would show. */
static void svg_label(struct strbuf *svg, double x, double y, double w, const char *s,
                      const char *attrs)
{
    if (!(w >= 4 * CHAR_W)) /* nor NaN */
        return;
    size_t n = text_width(s), fits = (size_t)(w < 1e6 ? w / CHAR_W : 1e6);
    sb_printf(svg, "<text x=\"%.1f\" y=\"%.1f\" pointer-events=\"none\"%s>", x, y, attrs);
    if (fits < n) {
        size_t chars;
        sb_escape(svg, s, text_prefix(s, fits - 1, &chars), ESC_XML);
        sb_printf(svg, "\xe2\x80\xa6"); /* U+2026 HORIZONTAL ELLIPSIS */
    } else {
        sb_escape(svg, s, strlen(s), ESC_XML);
    }
    sb_printf(svg, "</text>\n");
}

/* The start of a rectangle with a tooltip: the caller writes the rest of
 * the title and closes it with svg_rect_end. */
static void svg_rect(struct strbuf *svg, double x, double y, double w, double h, const char *attrs)
{
    sb_printf(svg, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" %s><title>", x, y,
              w, h, attrs);
}

static void svg_rect_end(struct strbuf *svg)
{
    sb_printf(svg, "</title></rect>\n");
}

static void svg_text(struct strbuf *svg, const char *s)
{
    sb_escape(svg, s, strlen(s), ESC_XML);
}

/* ---- the treemap ---- */

#define MAP_W 1200.0
#define MAP_H 800.0
#define MAP_TOP 56.0            /* heading and legend above the map */
#define MAP_PAD 10.0

static const char *const kind_colors[NKINDS] = {
    "#8fb8de", "#f6b26b", "#93c47d", "#b4a7d6", "#ea9999",
};

struct box {
    double x, y, w, h;
};

/* The worse of the aspect ratios of a row's largest and smallest items, a
 * row of total area sum along a side of length side. */
static double worst(double sum, double big, double small, double side)
{
    if (sum <= 0 || side <= 0 || small <= 0)
        return DBL_MAX;
    double s2 = sum * sum, w2 = side * side;
    double wide = w2 * big / s2, tall = s2 / (w2 * small);
    return wide > tall ? wide : tall;
}

/* Lay out a row of areas along the shorter side of r and cut it off r. */
static void place_row(const double *a, size_t n, double sum, struct box *r, struct box *out)
{
    bool column = r->w >= r->h; /* the shorter side is the height */
    double side = column ? r->h : r->w, depth = side > 0 ? sum / side : 0;
    double pos = column ? r->y : r->x;
    for (size_t i = 0; i < n; i++) {
        double len = depth > 0 ? a[i] / depth : 0;
        out[i] = column ? (struct box){r->x, pos, depth, len} : (struct box){pos, r->y, len, depth};
        pos += len;
    }
    if (depth > (column ? r->w : r->h)) /* rounding: never beyond r */
        depth = column ? r->w : r->h;
    if (column)
        r->x += depth, r->w -= depth;
    else
        r->y += depth, r->h -= depth;
}

/* The squarified treemap (Bruls, Huizing and van Wijk, 2000): areas a,
 * largest first and summing to r's area, laid out in rows; an item joins
 * the current row while that makes the row's worst aspect ratio better.
 * Squarish rectangles are easier to compare, to point at and to label
 * than the slivers of a plain slice-and-dice layout. */
static void squarify(const double *a, size_t n, struct box r, struct box *out)
{
    for (size_t i = 0, j; i < n; i = j) {
        double side = r.w < r.h ? r.w : r.h, sum = a[i];
        for (j = i + 1; j < n; j++) {
            if (worst(sum + a[j], a[i], a[j], side) > worst(sum, a[i], a[j - 1], side))
                break;
            sum += a[j];
        }
        place_row(a + i, j - i, sum, &r, out + i);
    }
}

/* Boxes for sizes (largest first, none 0) that fill r, each by its share. */
static struct box *layout(const uint64_t *sizes, size_t n, struct box r)
{
    double *a = xcalloc(n, sizeof *a), total = 0;
    struct box *out = xcalloc(n, sizeof *out);
    for (size_t i = 0; i < n; i++)
        total += (double)sizes[i];
    for (size_t i = 0; i < n; i++)
        a[i] = (double)sizes[i] / total * r.w * r.h;
    squarify(a, n, r, out);
    xfree(a);
    return out;
}

static void svg_item(struct strbuf *svg, const struct size_item *it, struct box b)
{
    char buf[32], attrs[96];
    if (b.w * b.h < 1)
        return; /* too small to see or to point at */
    snprintf(attrs, sizeof attrs, "fill=\"%s\"%s stroke=\"#fff\" stroke-width=\"0.5\"",
             kind_colors[it->kind], it->unnamed ? " fill-opacity=\"0.45\"" : "");
    svg_rect(svg, b.x, b.y, b.w, b.h, attrs);
    svg_text(svg, it->name);
    sb_printf(svg, "\n");
    svg_text(svg, it->object);
    sb_printf(svg, "\n%s, %s bytes", kind_names[it->kind], commas(it->size, buf));
    svg_rect_end(svg);
    if (b.h >= FONT + 2)
        svg_label(svg, b.x + 2, b.y + FONT, b.w - 4, it->name, "");
}

/* The symbols of o within box in: the layout is by their own sum, which
 * overlapping symbols may make more than the object's total. */
static void svg_items(struct strbuf *svg, const struct object_size *o, struct box in)
{
    uint64_t *sizes = xcalloc(o->nitems, sizeof *sizes);
    size_t n = 0;
    for (; n < o->nitems && o->items[n].size; n++) /* largest first */
        sizes[n] = o->items[n].size;
    struct box *b = layout(sizes, n, in);
    for (size_t i = 0; i < n; i++)
        svg_item(svg, &o->items[i], b[i]);
    xfree(b);
    xfree(sizes);
}

static void svg_object(struct strbuf *svg, const struct object_size *o, struct box b)
{
    char buf[32];
    if (b.w * b.h < 1)
        return;
    sb_printf(svg, "<g>\n");
    svg_rect(svg, b.x, b.y, b.w, b.h, "fill=\"#eee\" stroke=\"#444\"");
    svg_text(svg, o->obj->name);
    sb_printf(svg, "\n%s bytes", commas(o->total, buf));
    for (int k = 0; k < NKINDS; k++)
        if (o->by_kind[k])
            sb_printf(svg, "\n%s %s", kind_total_names[k], commas(o->by_kind[k], buf));
    svg_rect_end(svg);
    bool heading = b.h >= 3 * FONT && b.w >= 6 * CHAR_W;
    if (heading)
        svg_label(svg, b.x + 3, b.y + FONT, b.w - 6, o->short_name, " font-weight=\"bold\"");
    struct box in = {b.x + 2, b.y + (heading ? FONT + 4 : 2), b.w - 4, b.h - (heading ? FONT + 6 : 4)};
    if (in.w >= 1 && in.h >= 1)
        svg_items(svg, o, in);
    sb_printf(svg, "</g>\n");
}

static void svg_legend(struct strbuf *svg, const struct size_report *r)
{
    char buf[32], attrs[48];
    sb_printf(svg, "<text x=\"%.0f\" y=\"20\" font-size=\"14\" font-weight=\"bold\">"
                   "%s bytes in %zu object%s</text>\n",
              MAP_PAD, commas(r->total, buf), r->nobjs, r->nobjs == 1 ? "" : "s");
    double x = MAP_PAD;
    for (int k = 0; k < NKINDS; k++) {
        snprintf(attrs, sizeof attrs, "fill=\"%s\" stroke=\"#444\"", kind_colors[k]);
        svg_rect(svg, x, 32, 12, 12, attrs);
        sb_printf(svg, "%s", kind_names[k]);
        svg_rect_end(svg);
        sb_printf(svg, "<text x=\"%.0f\" y=\"42\">%s</text>\n", x + 16, kind_names[k]);
        x += 30 + CHAR_W * (double)strlen(kind_names[k]);
    }
    sb_printf(svg, "<text x=\"%.0f\" y=\"42\" fill=\"#555\">pale: bytes of no symbol "
                   "(string literals, tables)</text>\n", x);
}

void inspect_sizes_svg(struct object *const *objs, size_t n, struct strbuf *svg)
{
    struct size_report r;
    sizes_collect(objs, n, &r);
    svg_begin(svg, MAP_W + 2 * MAP_PAD, MAP_TOP + MAP_H + MAP_PAD);
    svg_legend(svg, &r);
    uint64_t *sizes = xcalloc(r.nobjs, sizeof *sizes);
    size_t m = 0;
    for (; m < r.nobjs && r.objs[m].total; m++) /* largest first */
        sizes[m] = r.objs[m].total;
    struct box *b = layout(sizes, m, (struct box){MAP_PAD, MAP_TOP, MAP_W, MAP_H});
    for (size_t i = 0; i < m; i++)
        svg_object(svg, &r.objs[i], b[i]);
    if (!m)
        sb_printf(svg, "<text x=\"%.0f\" y=\"%.0f\">no loaded bytes</text>\n", MAP_PAD,
                  MAP_TOP + 20);
    sb_printf(svg, "</svg>\n");
    xfree(b);
    xfree(sizes);
    sizes_free(&r);
}

/* ---- the references ---- */

#define COL_W 260.0
#define COL_GAP 120.0
#define BOX_H 34.0
#define ROW_H 44.0
#define REF_TOP 64.0
#define REF_PAD 20.0
#define REF_BOTTOM 56.0         /* legend and note below the columns */
#define MAX_ROWS 60             /* past that a column is no longer a picture:
                                   the rest are counted, not drawn */

/* A node of a side column: an edge, and the definition it belongs to. */
struct cell {
    const struct ref_edge *edge;
    size_t def;
};

static struct cell *side_column(const struct ref_report *r, bool in, size_t *n)
{
    struct cell *cells = NULL;
    size_t cap = 0;
    *n = 0;
    for (size_t i = 0; i < r->ndefs; i++) {
        const struct ref_def *d = &r->defs[i];
        for (size_t j = 0; j < (in ? d->nin : d->nout); j++) {
            struct cell c = {in ? &d->in[j] : &d->out[j], i};
            ARRAY_PUSH(cells, *n, cap, c);
        }
    }
    return cells;
}

/* Nodes drawn of a column of n: the last row counts the rest. */
static size_t drawn(size_t n)
{
    return n > MAX_ROWS ? MAX_ROWS - 1 : n;
}

static size_t rows_of(size_t n)
{
    return n > MAX_ROWS ? MAX_ROWS : n;
}

/* The top of row i of a column of n nodes, centred in rows rows. */
static double row_y(size_t i, size_t n, size_t rows)
{
    return REF_TOP + (double)(rows - rows_of(n)) * ROW_H / 2 + (double)i * ROW_H;
}

static double col_x(int col)
{
    return REF_PAD + col * (COL_W + COL_GAP);
}

static const char *edge_detail(const struct ref_edge *e, char buf[static 48])
{
    snprintf(buf, 48, "%s, %zu site%s", ref_kind_names[e->kind], e->count, e->count == 1 ? "" : "s");
    return buf;
}

static void svg_node(struct strbuf *svg, double x, double y, const char *name, const char *where,
                     const char *detail, const char *fill)
{
    char attrs[64];
    snprintf(attrs, sizeof attrs, "rx=\"5\" fill=\"%s\" stroke=\"#666\"", fill);
    sb_printf(svg, "<g>\n");
    svg_rect(svg, x, y, COL_W, BOX_H, attrs);
    svg_text(svg, name);
    sb_printf(svg, "\n");
    svg_text(svg, where);
    sb_printf(svg, "\n");
    svg_text(svg, detail);
    svg_rect_end(svg);
    svg_label(svg, x + 6, y + 14, COL_W - 12, name, " font-weight=\"bold\"");
    svg_label(svg, x + 6, y + 28, COL_W - 12, where, " fill=\"#555\"");
    sb_printf(svg, "</g>\n");
}

/* The last row of a column too long to draw. */
static void svg_more(struct strbuf *svg, int col, size_t n, size_t rows)
{
    char name[64], detail[96];
    if (n <= MAX_ROWS)
        return;
    snprintf(name, sizeof name, "\xe2\x80\xa6 and %zu more", n - drawn(n));
    snprintf(detail, sizeof detail, "%zu more not drawn: hotld --refs lists them all", n - drawn(n));
    svg_node(svg, col_x(col), row_y(drawn(n), n, rows), name, "", detail, "#fff");
}

/* An arrow from (x1, y1) to (x2, y2), a curve that leaves and enters
 * level; calls solid, data references dashed with an open head. */
static void svg_arrow(struct strbuf *svg, double x1, double y1, double x2, double y2,
                      enum ref_kind kind, double width)
{
    double mid = (x1 + x2) / 2;
    sb_printf(svg, "<path d=\"M%.1f %.1fC%.1f %.1f %.1f %.1f %.1f %.1f\" fill=\"none\" "
                   "stroke=\"%s\" stroke-width=\"%.1f\"%s marker-end=\"url(#%s)\"><title>",
              x1, y1, mid, y1, mid, y2, x2, y2, ref_kind_colors[kind], width,
              kind == REF_DATA ? " stroke-dasharray=\"5 3\"" : "", ref_kind_names[kind]);
}

static void svg_edge(struct strbuf *svg, const struct cell *c, const struct ref_report *r,
                     bool in, double y_side, double y_def)
{
    char buf[48];
    const struct ref_def *d = &r->defs[c->def];
    double width = c->edge->count > 1 ? 2.2 : 1.4;
    if (in)
        svg_arrow(svg, col_x(0) + COL_W, y_side, col_x(1), y_def, c->edge->kind, width);
    else
        svg_arrow(svg, col_x(1) + COL_W, y_def, col_x(2), y_side, c->edge->kind, width);
    svg_text(svg, in ? c->edge->name : d->name);
    sb_printf(svg, " \xe2\x86\x92 "); /* U+2192 RIGHTWARDS ARROW */
    svg_text(svg, in ? d->name : c->edge->name);
    sb_printf(svg, ": %s</title></path>\n", edge_detail(c->edge, buf));
}

static void svg_markers(struct strbuf *svg)
{
    sb_printf(svg, "<defs>\n"
                   "<marker id=\"call\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
                   "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">"
                   "<path d=\"M0 0L10 5L0 10z\" fill=\"%s\"/></marker>\n"
                   "<marker id=\"data\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
                   "markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\">"
                   "<path d=\"M0 0L10 5L0 10\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>"
                   "</marker>\n</defs>\n",
              ref_kind_colors[REF_CALL], ref_kind_colors[REF_DATA]);
}

/* Column headings above, and below a key to the arrows and the note. */
static void svg_refs_frame(struct strbuf *svg, const char *symbol, size_t nin, size_t nout,
                           double h)
{
    sb_printf(svg, "<text x=\"%.0f\" y=\"22\" font-size=\"14\" font-weight=\"bold\">"
                   "references of ", REF_PAD);
    svg_text(svg, symbol);
    sb_printf(svg, "</text>\n<g font-weight=\"bold\" fill=\"#333\">\n"
                   "<text x=\"%.0f\" y=\"%.0f\">referenced by (%zu)</text>\n"
                   "<text x=\"%.0f\" y=\"%.0f\">definition</text>\n"
                   "<text x=\"%.0f\" y=\"%.0f\">references (%zu)</text>\n</g>\n",
              col_x(0), REF_TOP - 12, nin, col_x(1), REF_TOP - 12, col_x(2), REF_TOP - 12, nout);
    for (int k = REF_CALL; k <= REF_DATA; k++) {
        double x = REF_PAD + k * 140.0, y = h - 34;
        svg_arrow(svg, x, y, x + 50, y, k, 1.4);
        sb_printf(svg, "%s</title></path>\n<text x=\"%.0f\" y=\"%.0f\">%s</text>\n",
                  k == REF_CALL ? "a call" : "a data reference (address taken)", x + 58, y + 4,
                  k == REF_CALL ? "call" : "data reference");
    }
    sb_printf(svg, "<text x=\"%.0f\" y=\"%.0f\" fill=\"#555\">note: %s</text>\n", REF_PAD, h - 12,
              refs_note);
}

static void svg_side(struct strbuf *svg, const struct cell *cells, size_t n, int col, size_t rows)
{
    char buf[48];
    for (size_t i = 0; i < drawn(n); i++) {
        const struct ref_edge *e = cells[i].edge;
        svg_node(svg, col_x(col), row_y(i, n, rows), e->name, edge_where(e), edge_detail(e, buf),
                 "#f3f3f3");
    }
    svg_more(svg, col, n, rows);
}

static void svg_defs(struct strbuf *svg, const struct ref_report *r, size_t rows)
{
    char detail[96], buf[32];
    for (size_t i = 0; i < drawn(r->ndefs); i++) {
        const struct symbol *s = r->defs[i].sym;
        snprintf(detail, sizeof detail, "%s, %s bytes%s", kind_names[symbol_kind(s)],
                 commas(s->size, buf), s->bind == STB_LOCAL ? ", local" : "");
        svg_node(svg, col_x(1), row_y(i, r->ndefs, rows), r->defs[i].name, r->defs[i].label, detail,
                 "#ffe08a");
    }
    svg_more(svg, 1, r->ndefs, rows);
}

/* Arrows of one side column, to definitions that are drawn. */
static void svg_edges(struct strbuf *svg, const struct ref_report *r, const struct cell *cells,
                      size_t n, bool in, size_t rows)
{
    for (size_t i = 0; i < drawn(n); i++) {
        size_t d = cells[i].def;
        if (d < drawn(r->ndefs))
            svg_edge(svg, &cells[i], r, in, row_y(i, n, rows) + BOX_H / 2,
                     row_y(d, r->ndefs, rows) + BOX_H / 2);
    }
}

int inspect_refs_svg(struct object *const *objs, size_t n, const char *symbol, struct strbuf *svg)
{
    struct ref_report r;
    if (refs_collect(objs, n, symbol, &r) < 0)
        return -1;
    size_t nin, nout;
    struct cell *in = side_column(&r, true, &nin), *out = side_column(&r, false, &nout);
    size_t rows = rows_of(r.ndefs);
    if (rows_of(nin) > rows)
        rows = rows_of(nin);
    if (rows_of(nout) > rows)
        rows = rows_of(nout);
    double h = REF_TOP + (double)rows * ROW_H + REF_BOTTOM;
    svg_begin(svg, 2 * REF_PAD + 3 * COL_W + 2 * COL_GAP, h);
    svg_markers(svg);
    svg_refs_frame(svg, symbol, nin, nout, h);
    svg_edges(svg, &r, in, nin, true, rows);
    svg_edges(svg, &r, out, nout, false, rows);
    svg_side(svg, in, nin, 0, rows);
    svg_defs(svg, &r, rows);
    svg_side(svg, out, nout, 2, rows);
    sb_printf(svg, "</svg>\n");
    xfree(in);
    xfree(out);
    refs_free(&r);
    return 0;
}
