/* Template masking in C: a port of template.mask_python (sources/template.py), which stays the
 * reference. tests/sources/test_native_template.py wants the same masked text, tag spans and
 * filler segments from both over the corpora, the tricky inputs and generated text.
 *
 * Masking is per tag: find the tag, overwrite it with filler (keeping line breaks and a
 * continuation line's indentation), then decide whether it stands alone on its line or opens
 * the block below a `key:`, and blank it if so. In Python that is a dozen small string calls a
 * tag, the most a templated file costs before its parse; here it is a few loops over a copy of
 * the text. Every helper below is named after the Python function it ports.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define FILL_EVEN 0xE000
#define FILL_ODD 0xE001

typedef Py_UCS4 ch;

static int is_break(ch c) { return c == '\n' || c == '\r'; }
/* _SPACE_OR_FILL's class */
static int is_space_or_fill(ch c) { return c == ' ' || c == '\t' || c == FILL_EVEN || c == FILL_ODD; }

/* A `\s` of Python's str regexes (and str.isspace). */
static int is_space(ch c) { return Py_UNICODE_ISSPACE(c); }

/* _SPACE_OR_FILL.fullmatch(text, start, end) */
static int all_space_or_fill(const ch *t, Py_ssize_t start, Py_ssize_t end) {
    for (Py_ssize_t i = start; i < end; i++)
        if (!is_space_or_fill(t[i])) return 0;
    return 1;
}

/* str.rfind(c, lo, hi) */
static Py_ssize_t rfind(const ch *t, ch c, Py_ssize_t lo, Py_ssize_t hi) {
    for (Py_ssize_t i = hi - 1; i >= lo; i--)
        if (t[i] == c) return i;
    return -1;
}

/* str.find(c, lo, hi) */
static Py_ssize_t find(const ch *t, ch c, Py_ssize_t lo, Py_ssize_t hi) {
    for (Py_ssize_t i = lo; i < hi; i++)
        if (t[i] == c) return i;
    return -1;
}

/* _line_start: where the line holding `at` starts (after "\n", "\r" or "\r\n"). */
static Py_ssize_t line_start(const ch *t, Py_ssize_t at) {
    Py_ssize_t newline = rfind(t, '\n', 0, at);
    Py_ssize_t carriage = rfind(t, '\r', newline + 1, at);
    return (carriage > newline ? carriage : newline) + 1;
}

/* _line_bounds */
static void line_bounds(const ch *t, Py_ssize_t n, Py_ssize_t start, Py_ssize_t end, Py_ssize_t *first,
                        Py_ssize_t *last) {
    *first = line_start(t, start);
    Py_ssize_t line_end = find(t, '\n', end, n);
    if (line_end < 0) line_end = n;
    Py_ssize_t carriage = find(t, '\r', end, line_end);
    *last = carriage >= 0 ? carriage : line_end;
}

/* _OPEN: `{{` not followed by `\s*:?resolve:` or `:`, `{%`, `{#`; 0 where none starts at i. */
static int opener_at(const ch *t, Py_ssize_t n, Py_ssize_t i) {
    if (t[i] != '{' || i + 1 >= n) return 0;
    ch next = t[i + 1];
    if (next == '%' || next == '#') return 1;
    if (next != '{') return 0;
    Py_ssize_t j = i + 2;
    if (j < n && t[j] == ':') return 0;
    while (j < n && is_space(t[j])) j++;
    if (j < n && t[j] == ':') j++;
    static const char resolve[] = "resolve:";
    for (int k = 0; resolve[k]; k++, j++)
        if (j >= n || t[j] != (ch)resolve[k]) return 1;
    return 0;
}

/* Where `closer` (two characters) is first written at or after `from`, or -1. */
static Py_ssize_t find_closer(const ch *t, Py_ssize_t n, ch a, ch b, Py_ssize_t from) {
    for (Py_ssize_t i = from; i + 1 < n; i++)
        if (t[i] == a && t[i + 1] == b) return i;
    return -1;
}

static int kind_of(ch second) { return second == '{' ? 0 : second == '%' ? 1 : 2; }

typedef struct {
    Py_ssize_t *items;
    Py_ssize_t size, capacity;
} Spans;

static int push(Spans *s, Py_ssize_t a, Py_ssize_t b, Py_ssize_t c) {
    if (s->size + 3 > s->capacity) {
        Py_ssize_t capacity = s->capacity ? s->capacity * 2 : 96;
        Py_ssize_t *items = PyMem_Realloc(s->items, capacity * sizeof(Py_ssize_t));
        if (items == NULL) return -1;
        s->items = items;
        s->capacity = capacity;
    }
    s->items[s->size++] = a;
    s->items[s->size++] = b;
    s->items[s->size++] = c;
    return 0;
}

/* tags() and _fill(): the tags' spans into `tags` (start, end, standalone), the filler's
   stretches into `segments` (start, end, index); the text becomes the filled text, in place:
   every read is at or after the tag being filled, which is read before it is written. */
static int fill(ch *t, Py_ssize_t n, Spans *tags, Spans *segments) {
    static const ch closers[3][2] = {{'}', '}'}, {'%', '}'}, {'#', '}'}};
    int unclosed[3] = {0, 0, 0}, open_kinds = 3;
    Py_ssize_t at = 0, index = 0;
    while (at < n) {
        Py_ssize_t start = at;
        while (start < n && !opener_at(t, n, start)) start++;
        if (start >= n) break;
        int kind = kind_of(t[start + 1]);
        Py_ssize_t close = unclosed[kind] ? -1 : find_closer(t, n, closers[kind][0], closers[kind][1], start + 2);
        if (close < 0) {
            if (!unclosed[kind]) {
                unclosed[kind] = 1;
                if (--open_kinds == 0) break;
            }
            at = start + 1;
            continue;
        }
        Py_ssize_t end = close + 2;
        if (push(tags, start, end, 0) < 0) return -1;
        ch filler = index % 2 ? FILL_ODD : FILL_EVEN;
        /* Each run of non-break characters is filled; a continuation line keeps its indentation. */
        Py_ssize_t i = start;
        while (i < end) {
            if (is_break(t[i])) {
                i++;
                continue;
            }
            Py_ssize_t piece = i, lead = i;
            if (piece > start)
                while (lead < end && (t[lead] == ' ' || t[lead] == '\t')) lead++;
            while (i < end && !is_break(t[i])) i++;
            for (Py_ssize_t k = lead; k < i; k++) t[k] = filler;
            if (i > lead && push(segments, lead, i, index) < 0) return -1;
        }
        index++;
        at = end;
    }
    return 0;
}

/* _standalone */
static int standalone(const ch *f, Py_ssize_t n, Py_ssize_t start, Py_ssize_t end) {
    Py_ssize_t first, last;
    line_bounds(f, n, start, end, &first, &last);
    return all_space_or_fill(f, first, start) && all_space_or_fill(f, end, last);
}

/* _opens_block */
static int opens_block(const ch *f, Py_ssize_t n, Py_ssize_t start, Py_ssize_t end) {
    Py_ssize_t first, last;
    line_bounds(f, n, start, end, &first, &last);
    if (!all_space_or_fill(f, end, last)) return 0;
    Py_ssize_t stop = start; /* before = f[first:stop], rstripped of " \t" and filler */
    while (stop > first && is_space_or_fill(f[stop - 1])) stop--;
    if (stop == first || f[stop - 1] != ':') return 0;
    Py_ssize_t text_start = first;
    while (text_start < stop && is_space(f[text_start])) text_start++;
    if (text_start < stop && f[text_start] == '#') return 0;
    Py_ssize_t indent = 0;
    while (first + indent < stop && (f[first + indent] == ' ' || f[first + indent] == '-')) indent++;
    /* The next line that is not blank (runs of non-break characters from `last` on). */
    Py_ssize_t i = last;
    while (i < n) {
        if (is_break(f[i])) {
            i++;
            continue;
        }
        Py_ssize_t body = i;
        while (i < n && !is_break(f[i])) i++;
        if (all_space_or_fill(f, body, i)) continue;
        Py_ssize_t deeper = 0;
        while (body + deeper < i && f[body + deeper] == ' ') deeper++;
        if (deeper > indent) return 1;
        return deeper == indent && body + deeper + 1 < i && f[body + deeper] == '-' && f[body + deeper + 1] == ' ';
    }
    return 0;
}

/* _BLOCK_HEADER.search(f[begin:end]): `(?:^|[\s:-])[|>][-+0-9]*[ \t]*(?:#.*)?$`, no line break inside. */
static int block_header(const ch *f, Py_ssize_t begin, Py_ssize_t end) {
    for (Py_ssize_t p = begin; p < end; p++) {
        if (f[p] != '|' && f[p] != '>') continue;
        if (p > begin && !(is_space(f[p - 1]) || f[p - 1] == ':' || f[p - 1] == '-')) continue;
        Py_ssize_t i = p + 1;
        while (i < end && (f[i] == '-' || f[i] == '+' || (f[i] >= '0' && f[i] <= '9'))) i++;
        while (i < end && (f[i] == ' ' || f[i] == '\t')) i++;
        if (i == end || f[i] == '#') return 1;
    }
    return 0;
}

/* _starts_block_scalar */
static int starts_block_scalar(const ch *f, Py_ssize_t start) {
    Py_ssize_t end = line_start(f, start) - 1;
    while (end > 0) {
        Py_ssize_t begin = line_start(f, end);
        if (!all_space_or_fill(f, begin, end)) return block_header(f, begin, end);
        end = begin - 1;
    }
    return 0;
}

static PyObject *triples(const Spans *s, int pairs) {
    PyObject *list = PyList_New(s->size / 3);
    if (list == NULL) return NULL;
    for (Py_ssize_t i = 0; i < s->size / 3; i++) {
        const Py_ssize_t *at = s->items + 3 * i;
        PyObject *item = pairs ? Py_BuildValue("(nn)", at[0], at[1]) : Py_BuildValue("(nnn)", at[0], at[1], at[2]);
        if (item == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, item);
    }
    return list;
}

static PyObject *mask(PyObject *Py_UNUSED(module), PyObject *arg) {
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "mask() wants a str");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
    ch *f = PyUnicode_AsUCS4Copy(arg);
    Spans tags = {NULL, 0, 0}, segments = {NULL, 0, 0};
    PyObject *result = NULL, *masked = NULL, *spans = NULL, *stretches = NULL;
    if (f == NULL) goto out;
    if (fill(f, n, &tags, &segments) < 0) {
        PyErr_NoMemory();
        goto out;
    }
    /* Decided on the filled text, all before any is blanked, as the reference does. */
    int any = 0;
    for (Py_ssize_t i = 0; i < tags.size; i += 3) {
        Py_ssize_t start = tags.items[i], end = tags.items[i + 1];
        if (standalone(f, n, start, end) || opens_block(f, n, start, end)) tags.items[i + 2] = any = 1;
    }
    if (any) {
        /* The blanks read nothing back: each standalone tag's block-scalar test sees the filled
           text, so the tests come first, then the blanking. */
        for (Py_ssize_t i = 0; i < tags.size; i += 3)
            if (tags.items[i + 2]) tags.items[i + 2] = 1 + starts_block_scalar(f, tags.items[i]);
        for (Py_ssize_t i = 0; i < tags.size; i += 3) {
            if (!tags.items[i + 2]) continue;
            Py_ssize_t start = tags.items[i], end = tags.items[i + 1];
            for (Py_ssize_t k = start; k < end; k++)
                if (!is_break(f[k])) f[k] = ' ';
            if (tags.items[i + 2] == 2) f[start] = '#';
        }
        Py_ssize_t kept = 0;
        for (Py_ssize_t i = 0; i < segments.size; i += 3) {
            if (f[segments.items[i]] == ' ') continue;
            for (int k = 0; k < 3; k++) segments.items[kept + k] = segments.items[i + k];
            kept += 3;
        }
        segments.size = kept;
    }
    masked = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, f, n);
    spans = triples(&tags, 1);
    stretches = triples(&segments, 0);
    if (masked && spans && stretches) result = PyTuple_Pack(3, masked, spans, stretches);
out:
    Py_XDECREF(masked);
    Py_XDECREF(spans);
    Py_XDECREF(stretches);
    PyMem_Free(f);
    PyMem_Free(tags.items);
    PyMem_Free(segments.items);
    return result;
}

static PyMethodDef methods[] = {
    {"mask", mask, METH_O, "(masked text, [(start, end) of each tag], [(start, end, tag index) of each filler stretch])."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_template", "Template masking.", -1, methods};

PyMODINIT_FUNC PyInit__template(void) { return PyModule_Create(&module); }
