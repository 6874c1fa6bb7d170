/* The text scans every file pays for: where the checks' triggers are
 * written, where a `#` may start a comment, and the comments outside every
 * scalar as scalars.
 *
 * Ports of Marker._each, comments.hash_starts and comments.comments
 * (sources/marks.py, sources/comments.py), which stay the reference:
 * tests/sources/test_native_marks.py wants the same results from both over the
 * corpora and generated text. A needle is tested only where the text holds its
 * first two characters (a table per first character, indexed by the next one),
 * so most positions cost a lookup or two.
 *
 * Needles are ASCII (the triggers are); a character beyond ASCII starts none.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    Py_ssize_t size;
    unsigned char *chars;
    PyObject *bit;
} Needle;

typedef struct {
    PyObject_HEAD
    Needle *needles;
    Py_ssize_t count;
    /* Per first character c with needles (slot[c] >= 0, else -1) and next character d (128: the
       text ends or the next character is beyond ASCII): a run of `tests` holding the needles to
       test there, in bit order — those of c whose second character is d, and c alone. */
    int slot[128];
    int32_t *runs; /* (start, count) per slot and d */
    Py_ssize_t *tests;
    /* The first `literals` needles are asked only whether the text holds them (scan_present). */
    Py_ssize_t literals;
} NeedlesObject;

static void Needles_dealloc(NeedlesObject *self) {
    for (Py_ssize_t i = 0; i < self->count; i++) {
        PyMem_Free(self->needles[i].chars);
        Py_XDECREF(self->needles[i].bit);
    }
    PyMem_Free(self->needles);
    PyMem_Free(self->runs);
    PyMem_Free(self->tests);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int Needles_init(NeedlesObject *self, PyObject *args, PyObject *kwds) {
    PyObject *needles, *bits;
    Py_ssize_t literals = 0;
    static char *names[] = {"needles", "bits", "literals", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!O!|n", names, &PyList_Type, &needles, &PyList_Type, &bits,
                                     &literals))
        return -1;
    Py_ssize_t count = PyList_GET_SIZE(needles);
    if (literals < 0 || literals > count) {
        PyErr_SetString(PyExc_ValueError, "literals: how many of the needles come first, 0 to all");
        return -1;
    }
    if (PyList_GET_SIZE(bits) != count) {
        PyErr_SetString(PyExc_ValueError, "one bit per needle");
        return -1;
    }
    if (self->needles != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "already initialised");
        return -1;
    }
    self->needles = PyMem_Calloc(count ? count : 1, sizeof(Needle));
    if (self->needles == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    self->count = count;
    self->literals = literals;
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *needle = PyList_GET_ITEM(needles, i);
        if (!PyUnicode_Check(needle) || !PyUnicode_IS_ASCII(needle) || PyUnicode_GET_LENGTH(needle) == 0) {
            PyErr_SetString(PyExc_ValueError, "needles are non-empty ASCII strings");
            return -1;
        }
        Py_ssize_t size = PyUnicode_GET_LENGTH(needle);
        self->needles[i].chars = PyMem_Malloc(size);
        if (self->needles[i].chars == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        memcpy(self->needles[i].chars, PyUnicode_DATA(needle), size);
        self->needles[i].size = size;
        self->needles[i].bit = Py_NewRef(PyList_GET_ITEM(bits, i));
    }
    /* The needles grouped by first character, in bit order within a group (a counting sort):
       the tables below then cost count x 129 steps, not 128 x 129 x count. */
    Py_ssize_t first[129] = {0};
    for (Py_ssize_t i = 0; i < count; i++) first[self->needles[i].chars[0] + 1]++;
    for (int c = 0; c < 128; c++) first[c + 1] += first[c];
    Py_ssize_t *grouped = PyMem_Malloc((size_t)(count ? count : 1) * sizeof(Py_ssize_t));
    if (grouped == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t filled[128];
    memcpy(filled, first, sizeof(filled));
    for (Py_ssize_t i = 0; i < count; i++) grouped[filled[self->needles[i].chars[0]]++] = i;
    int slots = 0;
    for (int c = 0; c < 128; c++) self->slot[c] = first[c + 1] > first[c] ? slots++ : -1;
    Py_ssize_t total = 0;
    for (int c = 0; c < 128; c++)
        for (int d = 0; d <= 128; d++)
            for (Py_ssize_t g = first[c]; g < first[c + 1]; g++) {
                Needle *n = &self->needles[grouped[g]];
                if (n->size == 1 || n->chars[1] == d) total++;
            }
    self->runs = PyMem_Calloc((size_t)(slots ? slots : 1) * 129 * 2, sizeof(int32_t));
    self->tests = PyMem_Calloc(total ? total : 1, sizeof(Py_ssize_t));
    if (self->runs == NULL || self->tests == NULL) {
        PyMem_Free(grouped);
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t at = 0;
    for (int c = 0; c < 128; c++) {
        if (self->slot[c] < 0) continue;
        for (int d = 0; d <= 128; d++) {
            int32_t *run = self->runs + ((Py_ssize_t)self->slot[c] * 129 + d) * 2;
            run[0] = (int32_t)at;
            for (Py_ssize_t g = first[c]; g < first[c + 1]; g++) {
                Needle *n = &self->needles[grouped[g]];
                if (n->size == 1 || n->chars[1] == d) self->tests[at++] = grouped[g];
            }
            run[1] = (int32_t)(at - run[0]);
        }
    }
    PyMem_Free(grouped);
    return 0;
}

static int add_mark(PyObject *found, Py_ssize_t at, PyObject *bit) {
    PyObject *offset = PyLong_FromSsize_t(at);
    if (offset == NULL) return -1;
    PyObject *pair = PyTuple_Pack(2, offset, bit);
    Py_DECREF(offset);
    if (pair == NULL) return -1;
    int failed = PyList_Append(found, pair);
    Py_DECREF(pair);
    return failed;
}

/* Each needle written at each position i, in position then bit order: SKIP passes
 * over a needle (`index`, `n`), and the rest is run on each match. One loop per string kind, so the
 * compiler reads each as plain array code. */
#define MATCHES(TYPE, SKIP, ...)                                                                     \
    do {                                                                                             \
        const TYPE *text = (const TYPE *)data;                                                       \
        for (Py_ssize_t i = 0; i < length; i++) {                                                    \
            Py_UCS4 c = text[i];                                                                     \
            if (c >= 128 || self->slot[c] < 0) continue;                                             \
            Py_UCS4 d = i + 1 < length ? text[i + 1] : 128;                                          \
            const int32_t *run = self->runs + ((Py_ssize_t)self->slot[c] * 129 + (d < 128 ? d : 128)) * 2; \
            if (run[1] == 0) continue;                                                               \
            const Py_ssize_t *bucket = self->tests + run[0];                                         \
            for (int32_t k = 0; k < run[1]; k++) {                                                   \
                Py_ssize_t index = bucket[k];                                                        \
                Needle *n = &self->needles[index];                                                   \
                if ((SKIP) || n->size > length - i) continue;                                        \
                Py_ssize_t j = 1;                                                                    \
                while (j < n->size && text[i + j] == n->chars[j]) j++;                               \
                if (j == n->size) {                                                                  \
                    __VA_ARGS__                                                                      \
                }                                                                                    \
            }                                                                                        \
        }                                                                                            \
    } while (0)

#define BY_KIND(MACRO)                                                                               \
    switch (PyUnicode_KIND(arg)) {                                                                   \
    case PyUnicode_1BYTE_KIND:                                                                       \
        MACRO(Py_UCS1);                                                                              \
        break;                                                                                       \
    case PyUnicode_2BYTE_KIND:                                                                       \
        MACRO(Py_UCS2);                                                                              \
        break;                                                                                       \
    default:                                                                                         \
        MACRO(Py_UCS4);                                                                              \
        break;                                                                                       \
    }

#define SCAN(TYPE)                                                                                   \
    MATCHES(TYPE, 0, if (add_mark(found, i, n->bit) < 0) {                                           \
        Py_DECREF(found);                                                                            \
        return NULL;                                                                                 \
    })

static PyObject *Needles_scan(NeedlesObject *self, PyObject *arg) {
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "scan() wants a str");
        return NULL;
    }
    PyObject *found = PyList_New(0);
    if (found == NULL) return NULL;
    Py_ssize_t length = PyUnicode_GET_LENGTH(arg);
    const void *data = PyUnicode_DATA(arg);
    BY_KIND(SCAN)
    return found;
}

/* Both at once, in one pass: the OR of the bits of the literals (the first `literals` needles) the
   text holds, and the marks of the others, as scan() gives them. */
#define SCAN_PRESENT(TYPE)                                                                           \
    MATCHES(TYPE, index < self->literals && seen[index], {                                           \
        if (index < self->literals) {                                                                \
            seen[index] = 1;                                                                         \
            PyObject *both = PyNumber_Or(held, n->bit);                                              \
            Py_SETREF(held, both);                                                                   \
            if (held == NULL) goto fail;                                                             \
        } else if (add_mark(found, i, n->bit) < 0) {                                                 \
            goto fail;                                                                               \
        }                                                                                            \
    })

static PyObject *Needles_scan_present(NeedlesObject *self, PyObject *arg) {
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "scan_present() wants a str");
        return NULL;
    }
    unsigned char *seen = PyMem_Calloc(self->literals ? self->literals : 1, 1);
    PyObject *held = PyLong_FromLong(0), *found = PyList_New(0), *result = NULL;
    if (seen == NULL || held == NULL || found == NULL) {
        if (seen == NULL) PyErr_NoMemory();
        goto fail;
    }
    Py_ssize_t length = PyUnicode_GET_LENGTH(arg);
    const void *data = PyUnicode_DATA(arg);
    BY_KIND(SCAN_PRESENT)
    result = PyTuple_Pack(2, held, found);
fail:
    PyMem_Free(seen);
    Py_XDECREF(held);
    Py_XDECREF(found);
    return result;
}

static PyMethodDef Needles_methods[] = {
    {"scan", (PyCFunction)Needles_scan, METH_O,
     "(offset, bit) of every needle written in the text, in offset then bit order."},
    {"scan_present", (PyCFunction)Needles_scan_present, METH_O,
     "(the OR of the bits of the literals the text holds, the marks of the other needles)."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject NeedlesType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "yamlsecretlint.sources._marks.Needles",
    .tp_basicsize = sizeof(NeedlesObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Needles(needles, bits, literals=0): ASCII needles, each with its bit; the first `literals` are "
              "asked only whether they are written (scan_present), the others in bit order.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Needles_init,
    .tp_dealloc = (destructor)Needles_dealloc,
    .tp_methods = Needles_methods,
};

static int add_offset(PyObject *found, Py_ssize_t at) {
    PyObject *offset = PyLong_FromSsize_t(at);
    if (offset == NULL) return -1;
    int failed = PyList_Append(found, offset);
    Py_DECREF(offset);
    return failed;
}

#define HASHES(TYPE)                                                                                 \
    do {                                                                                             \
        const TYPE *text = (const TYPE *)data;                                                       \
        for (Py_ssize_t i = 0; i < length; i++) {                                                    \
            if (text[i] != '#') continue;                                                            \
            if (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n') {        \
                if (add_offset(found, i) < 0) {                                                      \
                    Py_DECREF(found);                                                                \
                    return NULL;                                                                     \
                }                                                                                    \
            }                                                                                        \
        }                                                                                            \
    } while (0)

static PyObject *hash_starts(PyObject *module, PyObject *arg) {
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "hash_starts() wants a str");
        return NULL;
    }
    PyObject *found = PyList_New(0);
    if (found == NULL) return NULL;
    Py_ssize_t length = PyUnicode_GET_LENGTH(arg);
    const void *data = PyUnicode_DATA(arg);
    if (PyUnicode_KIND(arg) == PyUnicode_1BYTE_KIND) {
        /* memchr: most of a file holds no '#'. */
        const char *text = (const char *)data, *at = text, *end = text + length;
        while ((at = memchr(at, '#', end - at)) != NULL) {
            Py_ssize_t i = at - text;
            if ((i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t' || text[i - 1] == '\n') &&
                add_offset(found, i) < 0) {
                Py_DECREF(found);
                return NULL;
            }
            at++;
        }
    } else if (PyUnicode_KIND(arg) == PyUnicode_2BYTE_KIND) {
        HASHES(Py_UCS2);
    } else {
        HASHES(Py_UCS4);
    }
    return found;
}


static int is_strip(Py_UCS4 c) { return c == ' ' || c == '\t' || c == '#'; }

/* ASCII whitespace as `re` reads \\s in a str: the C0 separators 0x1c-0x1f too. */
static int is_space(Py_UCS4 c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f); }

/* Whether a comment can be a commented-out `key: value` (comments._COMMENTED_KEY): a cheap
 * necessary test in front of the regex. That pattern's `[:=]` is the comment's first `:` or
 * `=`, and before it stand at most `-`, `export` and the key, with quotes and blanks: so at
 * most three words of key characters. A character beyond ASCII may be a word character or a
 * blank to `re`: such a comment is always handed on. */
static int may_be_pair(int kind, const void *data, Py_ssize_t start, Py_ssize_t end) {
    int words = 0, in_word = 0;
    for (Py_ssize_t i = start; i < end; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c == ':' || c == '=') return i > start;
        if (c >= 128) return 1;
        if (is_space(c)) {
            in_word = 0;
            continue;
        }
        if (!(c == '_' || c == '.' || c == '-' || c == '"' || c == '\'' || (c >= '0' && c <= '9') ||
              (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return 0;
        if (!in_word && ++words > 3) return 0;
        in_word = 1;
    }
    return 0;
}

/* comments(text, limit, starts, inside, everything, lengths, names, commented, marks, bits, spans, Scalar, role
 *          [, strong, confirm])
 * -> list of Scalar. `commented(stripped)` is the reference's own test of a commented-out key
 * (the regex and the names); `bits` None: the triggers were not searched (every comment is wanted).
 * A comment whose marks are all weak (none in `strong`) is wanted by them only if `confirm(stripped, marks)`. */
static PyObject *comments(PyObject *module, PyObject *args) {
    PyObject *text, *starts, *inside, *lengths, *names, *commented, *marks, *bits, *spans, *scalar_type, *role;
    PyObject *strong = NULL, *confirm = NULL;
    Py_ssize_t limit;
    int everything;
    if (!PyArg_ParseTuple(args, "UnO!O!pO!OOO!OOOU|O!O", &text, &limit, &PyList_Type, &starts, &PySet_Type, &inside,
                          &everything, &PyFrozenSet_Type, &lengths, &names, &commented, &PyList_Type, &marks, &bits,
                          &spans, &scalar_type, &role, &PyLong_Type, &strong, &confirm))
        return NULL;
    if (confirm == Py_None) confirm = NULL;
    if (confirm != NULL && (strong == NULL || !PyCallable_Check(confirm))) {
        PyErr_SetString(PyExc_TypeError, "confirm must come with strong, and be callable");
        return NULL;
    }
    if (bits != Py_None && !PyList_Check(bits)) {
        PyErr_SetString(PyExc_TypeError, "bits is a list or None");
        return NULL;
    }
    if (spans != Py_None && !PyList_Check(spans)) {
        PyErr_SetString(PyExc_TypeError, "spans is a list or None");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    if (limit > length) limit = length;
    Py_ssize_t mark_at = 0, mark_count = PyList_GET_SIZE(marks);
    PyObject *found = PyList_New(0), *zero = PyLong_FromLong(0), *empty = PyUnicode_New(0, 0);
    if (found == NULL || zero == NULL || empty == NULL) goto error;
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(starts); k++) {
        Py_ssize_t at = PyLong_AsSsize_t(PyList_GET_ITEM(starts, k));
        if (at == -1 && PyErr_Occurred()) goto error;
        if (at >= limit) break;
        if (PySet_GET_SIZE(inside)) {
            PyObject *key = PyList_GET_ITEM(starts, k);
            int in = PySet_Contains(inside, key);
            if (in < 0) goto error;
            if (in) continue;
        }
        Py_ssize_t stop = PyUnicode_FindChar(text, '\n', at, limit, 1);
        if (stop == -2) goto error;
        if (stop < 0) stop = limit;
        Py_ssize_t carriage = PyUnicode_FindChar(text, '\r', at, stop, 1);
        if (carriage == -2) goto error;
        if (carriage >= 0) stop = carriage;
        Py_ssize_t first = at + 1, last = stop;
        while (first < last && is_strip(PyUnicode_READ(kind, data, first))) first++;
        while (last > first && is_strip(PyUnicode_READ(kind, data, last - 1))) last--;
        if (first == last) continue;
        if (spans != Py_None) {
            PyObject *span = Py_BuildValue("(nn)", at, stop);
            if (span == NULL || PyList_Append(spans, span) < 0) {
                Py_XDECREF(span);
                goto error;
            }
            Py_DECREF(span);
        }
        PyObject *held;
        if (bits == Py_None) {
            held = PyLong_FromLong(-1);
        } else {
            /* The marks in [at, stop): comments come in file order, so one cursor serves them all. */
            while (mark_at < mark_count) {
                Py_ssize_t offset = PyLong_AsSsize_t(PyList_GET_ITEM(marks, mark_at));
                if (offset == -1 && PyErr_Occurred()) goto error;
                if (offset >= at) break;
                mark_at++;
            }
            held = Py_NewRef(zero);
            for (Py_ssize_t ahead = mark_at; ahead < mark_count; ahead++) {
                Py_ssize_t offset = PyLong_AsSsize_t(PyList_GET_ITEM(marks, ahead));
                if (offset == -1 && PyErr_Occurred()) {
                    Py_DECREF(held);
                    goto error;
                }
                if (offset >= stop) break;
                PyObject *both = PyNumber_Or(held, PyList_GET_ITEM(bits, ahead));
                Py_DECREF(held);
                held = both;
                if (held == NULL) goto error;
            }
        }
        if (held == NULL) goto error;
        PyObject *stripped = PyUnicode_Substring(text, first, last);
        if (stripped == NULL) {
            Py_DECREF(held);
            goto error;
        }
        int wanted = 1;
        int unmarked = PyObject_Not(held); /* no mark wants it: the length and the key decide */
        if (unmarked == 0 && confirm != NULL && !everything) {
            PyObject *both = PyNumber_And(held, strong);
            int any = both == NULL ? -1 : PyObject_IsTrue(both);
            Py_XDECREF(both);
            if (any == 0) {
                PyObject *answer = PyObject_CallFunctionObjArgs(confirm, stripped, held, NULL);
                any = answer == NULL ? -1 : PyObject_IsTrue(answer);
                Py_XDECREF(answer);
                unmarked = any < 0 ? -1 : !any;
            }
            if (any < 0) unmarked = -1;
        }
        if (unmarked < 0) wanted = -1;
        else if (!everything && PyLong_Check(held) && unmarked == 1) {
            PyObject *size = PyLong_FromSsize_t(last - first);
            int known = size == NULL ? -1 : PySet_Contains(lengths, size);
            Py_XDECREF(size);
            if (known < 0) wanted = -1;
            else if (!known) {
                /* A commented-out `key: value` is wanted when its key is. */
                wanted = 0;
                if (names != Py_None && may_be_pair(kind, data, first, last)) {
                    PyObject *answer = PyObject_CallOneArg(commented, stripped);
                    wanted = answer == NULL ? -1 : PyObject_IsTrue(answer);
                    Py_XDECREF(answer);
                }
            }
        }
        if (wanted != 1) {
            Py_DECREF(stripped);
            Py_DECREF(held);
            if (wanted < 0) goto error;
            continue;
        }
        PyObject *scalar = PyObject_CallFunction(scalar_type, "OOOnnOOON", stripped, empty, role, first, last, zero,
                                                 empty, empty, held);
        Py_DECREF(stripped);
        if (scalar == NULL || PyList_Append(found, scalar) < 0) {
            Py_XDECREF(scalar);
            goto error;
        }
        Py_DECREF(scalar);
    }
    Py_DECREF(zero);
    Py_DECREF(empty);
    return found;
error:
    Py_XDECREF(found);
    Py_XDECREF(zero);
    Py_XDECREF(empty);
    return NULL;
}

/* Is ` `, `\t`, `?`, `:` or `-`: what block indentation and its indicators are written with. */
#define INDENTING(c) ((c) == ' ' || (c) == '\t' || (c) == '?' || (c) == ':' || (c) == '-')

/* One pass for both of frames.too_deep's tests: flow brackets nested deeper than `depth` (a closer
   with none open is ignored), or a line that opens with `depth` characters of indentation. Between
   line starts only `\n` and the brackets matter: the loop skips everything else with one table
   lookup a character (DEPTH_CLASS), and a line's indentation is counted right after its `\n`. */
enum { PLAIN, NEWLINE, OPENER, CLOSER };
static unsigned char DEPTH_CLASS[256];

#define TOO_DEEP(TYPE)                                                                               \
    do {                                                                                             \
        const TYPE *text = (const TYPE *)data;                                                       \
        Py_ssize_t nested = 0, i = 0;                                                                \
        for (;;) {                                                                                   \
            /* at a line start: its indentation */                                                   \
            Py_ssize_t run = 0;                                                                      \
            while (i < length && INDENTING(text[i])) {                                               \
                if (++run >= depth) Py_RETURN_TRUE;                                                  \
                i++;                                                                                 \
            }                                                                                        \
            for (; i < length; i++) {                                                                \
                TYPE c = text[i];                                                                    \
                int kind = c < 256 ? DEPTH_CLASS[c] : PLAIN;                                         \
                if (kind == PLAIN) continue;                                                         \
                if (kind == NEWLINE) break;                                                          \
                if (kind == OPENER) {                                                                \
                    if (++nested > depth) Py_RETURN_TRUE;                                            \
                } else if (nested) {                                                                 \
                    nested--;                                                                        \
                }                                                                                    \
            }                                                                                        \
            if (i >= length) break;                                                                  \
            i++; /* past the newline */                                                              \
        }                                                                                            \
    } while (0)

static PyObject *too_deep(PyObject *module, PyObject *args) {
    PyObject *arg;
    Py_ssize_t depth;
    if (!PyArg_ParseTuple(args, "Un:too_deep", &arg, &depth)) return NULL;
    if (depth <= 0) Py_RETURN_TRUE;
    Py_ssize_t length = PyUnicode_GET_LENGTH(arg);
    const void *data = PyUnicode_DATA(arg);
    if (PyUnicode_KIND(arg) == PyUnicode_1BYTE_KIND) {
        TOO_DEEP(Py_UCS1);
    } else if (PyUnicode_KIND(arg) == PyUnicode_2BYTE_KIND) {
        TOO_DEEP(Py_UCS2);
    } else {
        TOO_DEEP(Py_UCS4);
    }
    Py_RETURN_FALSE;
}

static PyMethodDef methods[] = {
    {"hash_starts", hash_starts, METH_O, "Where a '#' may start a comment: at a line start or after a blank."},
    {"comments", comments, METH_VARARGS, "The comments outside every scalar, as comment scalars."},
    {"too_deep", too_deep, METH_VARARGS, "Flow nesting deeper than `depth`, or a line opening with `depth` of ` \\t?:-`."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_marks", "The per-file text scans.", -1, methods};

PyMODINIT_FUNC PyInit__marks(void) {
    DEPTH_CLASS['\n'] = NEWLINE;
    DEPTH_CLASS['['] = DEPTH_CLASS['{'] = OPENER;
    DEPTH_CLASS[']'] = DEPTH_CLASS['}'] = CLOSER;
    if (PyType_Ready(&NeedlesType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    if (PyModule_AddObjectRef(m, "Needles", (PyObject *)&NeedlesType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
