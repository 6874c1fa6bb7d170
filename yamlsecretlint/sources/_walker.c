/* The YAML walker's hot loop in C: libyaml's events, the stack of open
 * collections and the gate, with a Python object built only for what a check
 * is shown.
 *
 * This is a port of YamlSource._walk_python (sources/yaml.py), which stays the
 * reference: tests/sources/test_native_walker.py runs both over every corpus
 * file and generated text and wants the same scalars, offsets, errors and
 * bookkeeping. Anything rare (a key path, a tag's name, a template put back, a
 * word search, an error) is handed to the same Python helpers the reference
 * uses, so the two cannot drift apart there. What stays in C is per event:
 * parsing, the frame stack, the trigger and `#` cursors and the cheap tests
 * (length, blank, `name:`/`value:` keys, the name cache).
 *
 * Offsets are libyaml's marks, in characters, as PyYAML's CParser reports them.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <string.h>
#include <yaml.h>

/* Helpers set once by configure(): the Scalar type and the reference's functions. */
static PyObject *Scalar = NULL;
static PyObject *key_segment = NULL;
static PyObject *tag_name = NULL;
static PyObject *has_word = NULL;
static PyObject *parser_error = NULL;
static PyObject *alias_error = NULL;
static PyObject *s_empty, *s_value, *s_key, *s_query, *s_star, *long_minus_one, *long_zero;

enum { SEG_KEY, SEG_INDEX, SEG_NONE };
#define LENGTH_BITS 4096

typedef struct {
    int is_map, expect_value, root, wanted;
    Py_ssize_t index;
    int seg_kind;
    PyObject *seg_key;   /* SEG_KEY: the key it sits under */
    Py_ssize_t seg_index;
    PyObject *path;      /* built only when a scalar under it is yielded */
    PyObject *key;       /* the current key, "" before the first */
    PyObject *child;     /* the current key's path, built on demand */
    PyObject *pair_name; /* the `name:` of a name/value pair */
    PyObject *pending;   /* a `value:` met before its `name:` */
    int pending_wanted;
} Frame;

typedef struct {
    PyObject_HEAD
    yaml_parser_t parser;
    int parser_ready;
    PyObject *text;
    PyObject *utf8; /* the text's UTF-8, when it is not ASCII (an ASCII str is read in place) */
    PyObject *restore;
    int everything;
    PyObject *lengths;
    unsigned char length_bits[LENGTH_BITS / 8];
    PyObject *root_keys;
    int has_words;
    PyObject *words;
    PyObject *name_cache;
    PyObject *strong;  /* the trigger bits that want a scalar alone (~Interest.weak) */
    PyObject *confirm; /* Interest.confirm, or NULL: what wants a scalar whose marks are all weak */
    Py_ssize_t *marks, nmarks, mark_at;
    PyObject *bits;
    PyObject *unknown;
    Py_ssize_t *hashes, nhashes, hash_at;
    PyObject *hash_list;
    PyObject *inside;
    PyObject *anchors;
    PyObject *anchored;
    Frame *stack;
    Py_ssize_t depth, capacity;
    long doc;
    Py_ssize_t parsed_to, last_end;
    PyObject *out[4];
    int nout, outpos;
    int done;
} Walker;

/* ---- small helpers ---------------------------------------------------- */

static Py_ssize_t *offsets_of(PyObject *list, Py_ssize_t *count) {
    Py_ssize_t n = PyList_GET_SIZE(list);
    Py_ssize_t *out = PyMem_Malloc(sizeof(Py_ssize_t) * (n ? n : 1));
    if (!out) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        out[i] = PyLong_AsSsize_t(PyList_GET_ITEM(list, i));
        if (out[i] == -1 && PyErr_Occurred()) {
            PyMem_Free(out);
            return NULL;
        }
    }
    *count = n;
    return out;
}

/* Indexes [first, stop) of the sorted offsets in [start, end); those before start are passed for good. */
static void within(const Py_ssize_t *offsets, Py_ssize_t n, Py_ssize_t *at, Py_ssize_t start, Py_ssize_t end,
                   Py_ssize_t *first, Py_ssize_t *stop) {
    Py_ssize_t i = *at;
    while (i < n && offsets[i] < start) i++;
    *first = i;
    while (i < n && offsets[i] < end) i++;
    *stop = *at = i;
}

static Py_ssize_t utf8_chars(const unsigned char *s, Py_ssize_t n) {
    Py_ssize_t chars = 0;
    for (Py_ssize_t i = 0; i < n; i++) chars += (s[i] & 0xC0) != 0x80;
    return chars;
}

/* U+E000 or U+E001: the masking's placeholders (sources/template.py). */
static int has_placeholder(const unsigned char *s, Py_ssize_t n) {
    for (Py_ssize_t i = 0; i + 2 < n; i++)
        if (s[i] == 0xEE && s[i + 1] == 0x80 && (s[i + 2] == 0x80 || s[i + 2] == 0x81)) return 1;
    return 0;
}

static int str_is(PyObject *s, const char *ascii) {
    return PyUnicode_GET_LENGTH(s) == (Py_ssize_t)strlen(ascii) && PyUnicode_CompareWithASCIIString(s, ascii) == 0;
}

static int is_value_key(PyObject *key) { return str_is(key, "value") || str_is(key, "Value"); }
static int is_name_key(PyObject *key) { return str_is(key, "name") || str_is(key, "Name") || str_is(key, "key"); }

static int wanted_length(Walker *w, Py_ssize_t length) {
    if (length < LENGTH_BITS) return (w->length_bits[length >> 3] >> (length & 7)) & 1;
    PyObject *n = PyLong_FromSsize_t(length);
    if (!n) return -1;
    int found = PySet_Contains(w->lengths, n);
    Py_DECREF(n);
    return found;
}

/* name_cache[name]: a dict whose __missing__ asks the Interest. */
static int wanted_name(Walker *w, PyObject *name) {
    PyObject *known = PyDict_GetItemWithError(w->name_cache, name);
    if (known) return PyObject_IsTrue(known);
    if (PyErr_Occurred()) return -1;
    known = PyObject_GetItem(w->name_cache, name);
    if (!known) return -1;
    int truth = PyObject_IsTrue(known);
    Py_DECREF(known);
    return truth;
}

static int call_has_word(Walker *w, PyObject *value) {
    PyObject *found = PyObject_CallFunctionObjArgs(has_word, value, w->words, NULL);
    if (!found) return -1;
    int truth = PyObject_IsTrue(found);
    Py_DECREF(found);
    return truth;
}

static PyObject *make_scalar(PyObject *value, PyObject *path, PyObject *role, Py_ssize_t start, Py_ssize_t end,
                             long doc, PyObject *tag, PyObject *name, PyObject *held) {
    PyObject *fields = Py_BuildValue("(OOOnnlOOO)", value, path, role, start, end, doc, tag, name, held);
    if (!fields) return NULL;
    PyObject *args = PyTuple_Pack(1, fields);
    Py_DECREF(fields);
    if (!args) return NULL;
    /* What a NamedTuple's own __new__ does, without its Python frame. */
    PyObject *scalar = PyTuple_Type.tp_new((PyTypeObject *)Scalar, args, NULL);
    Py_DECREF(args);
    return scalar;
}

/* scalar._replace(name=name) */
static PyObject *renamed(PyObject *scalar, PyObject *name) {
    PyObject *fields = PySequence_List(scalar);
    if (!fields) return NULL;
    Py_INCREF(name);
    if (PyList_SetItem(fields, 7, name) < 0) {
        Py_DECREF(fields);
        return NULL;
    }
    PyObject *tuple = PyList_AsTuple(fields);
    Py_DECREF(fields);
    if (!tuple) return NULL;
    PyObject *args = PyTuple_Pack(1, tuple);
    Py_DECREF(tuple);
    if (!args) return NULL;
    PyObject *out = PyTuple_Type.tp_new((PyTypeObject *)Scalar, args, NULL);
    Py_DECREF(args);
    return out;
}

static void emit(Walker *w, PyObject *scalar) { w->out[w->nout++] = scalar; /* steals */ }

/* ---- frames --------------------------------------------------------- */

static void frame_clear(Frame *f) {
    Py_CLEAR(f->seg_key);
    Py_CLEAR(f->path);
    Py_CLEAR(f->key);
    Py_CLEAR(f->child);
    Py_CLEAR(f->pair_name);
    Py_CLEAR(f->pending);
}

/* keypaths.key_segment(base, key), without a call into Python for the common key: one that
   `[^.\[\]\s"']+` matches whole is joined with a dot; any other is left to the reference. */
static PyObject *segment(PyObject *base, PyObject *key) {
    Py_ssize_t length = PyUnicode_Check(key) ? PyUnicode_GET_LENGTH(key) : 0;
    int simple = length > 0;
    if (simple) {
        int kind = PyUnicode_KIND(key);
        const void *data = PyUnicode_DATA(key);
        for (Py_ssize_t i = 0; i < length; i++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            if (c == '.' || c == '[' || c == ']' || c == '"' || c == '\'' || Py_UNICODE_ISSPACE(c)) {
                simple = 0;
                break;
            }
        }
    }
    if (!simple) return PyObject_CallFunctionObjArgs(key_segment, base, key, NULL);
    Py_ssize_t before = PyUnicode_GET_LENGTH(base);
    if (before == 0) return Py_NewRef(key);
    Py_UCS4 widest = PyUnicode_MAX_CHAR_VALUE(base);
    if (PyUnicode_MAX_CHAR_VALUE(key) > widest) widest = PyUnicode_MAX_CHAR_VALUE(key);
    PyObject *joined = PyUnicode_New(before + 1 + length, widest);
    if (joined == NULL) return NULL;
    PyUnicode_CopyCharacters(joined, 0, base, 0, before);
    PyUnicode_WriteChar(joined, before, '.');
    PyUnicode_CopyCharacters(joined, before + 1, key, 0, length);
    return joined;
}

static PyObject *frame_path(Walker *w, Py_ssize_t i) {
    Frame *f = &w->stack[i];
    if (f->path) return f->path;
    PyObject *base = i ? frame_path(w, i - 1) : s_empty;
    if (!base) return NULL;
    if (f->seg_kind == SEG_NONE)
        f->path = PyUnicode_FromFormat("%U[?]", base);
    else if (f->seg_kind == SEG_INDEX)
        f->path = PyUnicode_FromFormat("%U[%zd]", base, f->seg_index);
    else
        f->path = segment(base, f->seg_key);
    return f->path; /* borrowed: the frame holds it */
}

static PyObject *frame_child(Walker *w, Py_ssize_t i) {
    Frame *f = &w->stack[i];
    if (f->child) return f->child;
    PyObject *base = frame_path(w, i);
    if (!base) return NULL;
    f->child = segment(base, f->key);
    return f->child;
}

static void set_key(Frame *f, PyObject *key) {
    Py_INCREF(key);
    Py_XSETREF(f->key, key);
    Py_CLEAR(f->child);
}

static void advance(Frame *f) {
    if (f->is_map)
        f->expect_value = 0;
    else
        f->index++;
}

static int push_frame(Walker *w, int is_map, int root, int wanted, int seg_kind, PyObject *seg_key,
                      Py_ssize_t seg_index) {
    if (w->depth == w->capacity) {
        Py_ssize_t capacity = w->capacity ? w->capacity * 2 : 32;
        Frame *grown = PyMem_Realloc(w->stack, sizeof(Frame) * capacity);
        if (!grown) {
            PyErr_NoMemory();
            return -1;
        }
        w->stack = grown;
        w->capacity = capacity;
    }
    Frame *f = &w->stack[w->depth++];
    memset(f, 0, sizeof(Frame));
    f->is_map = is_map;
    f->root = root;
    f->wanted = wanted;
    f->seg_kind = seg_kind;
    f->seg_index = seg_index;
    if (seg_key) {
        Py_INCREF(seg_key);
        f->seg_key = seg_key;
    }
    Py_INCREF(s_empty);
    f->key = s_empty;
    if (root) {
        Py_INCREF(s_empty);
        f->path = s_empty;
    }
    return 0;
}

static void clear_stack(Walker *w) {
    while (w->depth) frame_clear(&w->stack[--w->depth]);
}

/* A held `value:`, filed under the pair's name (or its own key when none came). */
static int file_pending(Walker *w, Frame *f, PyObject *name) {
    PyObject *scalar = f->pending;
    int wanted = f->pending_wanted;
    if (!scalar) return 0;
    f->pending = NULL;
    if (PyUnicode_GET_LENGTH(name)) {
        PyObject *out = renamed(scalar, name);
        Py_DECREF(scalar);
        if (!out) return -1;
        scalar = out;
        if (!wanted && w->name_cache) wanted = wanted_name(w, name);
    } else if (!wanted && w->name_cache) {
        wanted = wanted_name(w, PyTuple_GET_ITEM(scalar, 7));
    }
    if (wanted < 0) {
        Py_DECREF(scalar);
        return -1;
    }
    if (wanted)
        emit(w, scalar);
    else
        Py_DECREF(scalar);
    return 0;
}

/* ---- events --------------------------------------------------------- */

static PyObject *tag_of(yaml_char_t *tag) {
    if (!tag) {
        Py_INCREF(s_empty);
        return s_empty;
    }
    PyObject *text = PyUnicode_FromString((const char *)tag);
    if (!text) return NULL;
    PyObject *name = PyObject_CallOneArg(tag_name, text);
    Py_DECREF(text);
    return name;
}

static int add_anchor(Walker *w, yaml_char_t *anchor, PyObject **out) {
    if (!anchor) return 0;
    PyObject *name = PyUnicode_FromString((const char *)anchor);
    if (!name || PySet_Add(w->anchors, name) < 0) {
        Py_XDECREF(name);
        return -1;
    }
    if (out)
        *out = name;
    else
        Py_DECREF(name);
    return 0;
}

static int on_collection_start(Walker *w, yaml_event_t *ev, int is_map) {
    yaml_char_t *anchor = is_map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
    if (add_anchor(w, anchor, NULL) < 0) return -1;
    if (!w->depth) return push_frame(w, is_map, 1, 0, SEG_KEY, NULL, 0);
    Frame *f = &w->stack[w->depth - 1];
    int seg_kind = SEG_KEY;
    PyObject *seg_key = NULL;
    Py_ssize_t seg_index = 0;
    if (!f->is_map) {
        seg_kind = SEG_INDEX;
        seg_index = f->index;
    } else if (f->expect_value) {
        seg_key = f->key;
    } else {
        /* A complex key (`? [a, b]`): its scalars are filed under `[?]`. */
        PyObject *base = frame_path(w, w->depth - 1);
        if (!base) return -1;
        PyObject *child = PyUnicode_FromFormat("%U[?]", base);
        if (!child) return -1;
        set_key(f, s_query);
        f->child = child;
        seg_kind = SEG_NONE;
    }
    int wanted = f->wanted;
    if (!wanted && f->root && f->is_map) {
        wanted = PySet_Contains(w->root_keys, f->key);
        if (wanted < 0) return -1;
    }
    Py_XINCREF(seg_key); /* the push may move the stack */
    int rc = push_frame(w, is_map, 0, wanted, seg_kind, seg_key, seg_index);
    Py_XDECREF(seg_key);
    return rc;
}

static int on_collection_end(Walker *w) {
    if (w->depth && w->stack[w->depth - 1].pending) {
        if (file_pending(w, &w->stack[w->depth - 1], s_empty) < 0) return -1;
    }
    if (w->depth) frame_clear(&w->stack[--w->depth]);
    if (w->depth) {
        Frame *parent = &w->stack[w->depth - 1];
        if (parent->is_map && !parent->expect_value)
            parent->expect_value = 1; /* the complex key ended; its value comes next */
        else
            advance(parent);
    }
    return 0;
}

static int on_alias(Walker *w, yaml_event_t *ev) {
    PyObject *anchor = PyUnicode_FromString((const char *)ev->data.alias.anchor);
    if (!anchor) return -1;
    Frame *f = w->depth ? &w->stack[w->depth - 1] : NULL;
    PyObject *named = (f && f->is_map && f->expect_value) ? f->key : s_empty;
    Py_INCREF(named);
    int rc = -1;
    int known = PySet_Contains(w->anchors, anchor);
    if (known < 0) goto done;
    if (!known) {
        PyObject *err = PyObject_CallFunction(alias_error, "Onnn", anchor, (Py_ssize_t)ev->start_mark.index,
                                              (Py_ssize_t)ev->start_mark.line, (Py_ssize_t)ev->start_mark.column);
        if (err) {
            PyErr_SetObject((PyObject *)Py_TYPE(err), err);
            Py_DECREF(err);
        }
        goto done;
    }
    if (f) {
        if (f->is_map && !f->expect_value) {
            PyObject *base = frame_path(w, w->depth - 1);
            if (!base) goto done;
            PyObject *child = PyUnicode_FromFormat("%U[*]", base);
            if (!child) goto done;
            set_key(f, s_star);
            f->child = child;
            f->expect_value = 1;
        } else {
            advance(f);
        }
    }
    /* `password: *pw` reads the value anchored at `&pw`: reported where it is written, once per alias. */
    if (f && PyUnicode_GET_LENGTH(named)) {
        PyObject *target = PyDict_GetItemWithError(w->anchored, anchor);
        if (!target && PyErr_Occurred()) goto done;
        if (target) {
            int wanted = w->everything;
            if (!wanted && w->name_cache) {
                wanted = wanted_name(w, named);
                if (wanted < 0) goto done;
            }
            if (wanted) {
                PyObject *base = frame_path(w, w->depth - 1);
                if (!base) goto done;
                PyObject *path = segment(base, named);
                if (!path) goto done;
                PyObject *scalar = make_scalar(
                    PyTuple_GET_ITEM(target, 0), path, s_value, PyLong_AsSsize_t(PyTuple_GET_ITEM(target, 1)),
                    PyLong_AsSsize_t(PyTuple_GET_ITEM(target, 2)), w->doc, s_empty, named, long_minus_one);
                Py_DECREF(path);
                if (!scalar) goto done;
                emit(w, scalar);
            }
        }
    }
    rc = 0;
done:
    Py_DECREF(anchor);
    Py_DECREF(named);
    return rc;
}

static int on_scalar(Walker *w, yaml_event_t *ev) {
    const unsigned char *bytes = ev->data.scalar.value;
    Py_ssize_t nbytes = (Py_ssize_t)ev->data.scalar.length;
    Py_ssize_t start = (Py_ssize_t)ev->start_mark.index, end = (Py_ssize_t)ev->end_mark.index;
    PyObject *value = NULL, *anchor = NULL, *held = NULL, *tag = NULL, *path = NULL, *scalar = NULL;
    int rc = -1, wanted, held_nonzero;
    Py_ssize_t length;
    int blank;

#define VALUE() (value ? value : (value = PyUnicode_DecodeUTF8((const char *)bytes, nbytes, "strict")))
#define TAG() (tag ? tag : (tag = tag_of(ev->data.scalar.tag)))

    if (add_anchor(w, ev->data.scalar.anchor, &anchor) < 0) goto done;
    w->last_end = end;
    if (w->restore != Py_None && has_placeholder(bytes, nbytes)) {
        if (!VALUE()) goto done;
        PyObject *restored = PyObject_CallFunction(w->restore, "Onn", value, start, end);
        if (!restored) goto done;
        Py_SETREF(value, restored);
    }
    if (value) {
        length = PyUnicode_GET_LENGTH(value);
        blank = PyUnicode_FindChar(value, ' ', 0, length, 1) >= 0 || PyUnicode_FindChar(value, '\n', 0, length, 1) >= 0;
    } else {
        length = utf8_chars(bytes, nbytes);
        blank = memchr(bytes, ' ', nbytes) != NULL || memchr(bytes, '\n', nbytes) != NULL;
    }
    if (anchor) { /* what an alias of it under a secret-named key is read as */
        if (!VALUE()) goto done;
        PyObject *target = Py_BuildValue("(Onn)", value, start, end);
        if (!target || PyDict_SetItem(w->anchored, anchor, target) < 0) {
            Py_XDECREF(target);
            goto done;
        }
        Py_DECREF(target);
    }
    if (w->hash_at < w->nhashes && w->hashes[w->hash_at] < end) { /* a `#` inside a scalar starts no comment */
        Py_ssize_t first, stop;
        within(w->hashes, w->nhashes, &w->hash_at, start, end, &first, &stop);
        for (Py_ssize_t k = first; k < stop; k++)
            if (PySet_Add(w->inside, PyList_GET_ITEM(w->hash_list, k)) < 0) goto done;
    }
    held = w->unknown;
    Py_INCREF(held);
    if (w->mark_at < w->nmarks && w->marks[w->mark_at] < end) {
        Py_ssize_t first, stop;
        within(w->marks, w->nmarks, &w->mark_at, start, end, &first, &stop);
        for (Py_ssize_t k = first; k < stop; k++) {
            PyObject *both = PyNumber_Or(held, PyList_GET_ITEM(w->bits, k));
            if (!both) goto done;
            Py_SETREF(held, both);
        }
    }
    /* An escape can spell a trigger the written text does not hold. */
    if (ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE &&
        PyUnicode_FindChar(w->text, '\\', start, end, 1) >= 0) {
        Py_INCREF(long_minus_one);
        Py_SETREF(held, long_minus_one);
    }
    held_nonzero = PyObject_IsTrue(held);
    if (held_nonzero < 0) goto done;
    if (held_nonzero && w->confirm) { /* marks of weak triggers alone: the gate's test decides */
        PyObject *strong = PyNumber_And(held, w->strong);
        if (!strong) goto done;
        int any = PyObject_IsTrue(strong);
        Py_DECREF(strong);
        if (any < 0) goto done;
        if (!any) {
            if (!VALUE()) goto done;
            PyObject *yes = PyObject_CallFunctionObjArgs(w->confirm, value, held, NULL);
            if (!yes) goto done;
            held_nonzero = PyObject_IsTrue(yes);
            Py_DECREF(yes);
            if (held_nonzero < 0) goto done;
        }
    }
    wanted = w->everything || held_nonzero;

    if (!w->depth) {
        int keep = wanted;
        if (!keep && (keep = wanted_length(w, length)) < 0) goto done;
        if (keep) {
            if (!VALUE() || !TAG()) goto done;
            if (!(scalar = make_scalar(value, s_empty, s_value, start, end, w->doc, tag, s_empty, held))) goto done;
            emit(w, scalar);
        }
        rc = 0;
        goto done;
    }
    Py_ssize_t top = w->depth - 1;
    Frame *f = &w->stack[top];
    if (f->is_map && !f->expect_value) {
        if (!VALUE()) goto done;
        set_key(f, value);
        f->expect_value = 1;
        if (wanted || f->wanted) {
            if (!TAG() || !(path = frame_child(w, top))) goto done;
            if (!(scalar = make_scalar(value, path, s_key, start, end, w->doc, tag, value, held))) goto done;
            path = NULL; /* borrowed from the frame */
            emit(w, scalar);
        }
        rc = 0;
        goto done;
    }
    PyObject *name = f->is_map ? f->key : s_empty;
    Py_INCREF(name);
    if (f->is_map && is_value_key(name)) {
        if (f->pair_name && PyUnicode_GET_LENGTH(f->pair_name)) {
            Py_INCREF(f->pair_name);
            Py_SETREF(name, f->pair_name);
        } else {
            /* `value:` before `name:` (ECS and Kubernetes pairs are written both ways):
             * held until the name files it, or the mapping ends without one. */
            int keep = wanted;
            if (!keep && (keep = wanted_length(w, length)) < 0) goto name_done;
            if (!keep) keep = f->wanted;
            if (!keep && w->has_words && blank) {
                if (!VALUE() || (keep = call_has_word(w, value)) < 0) goto name_done;
            }
            if (!keep && f->root && (keep = PySet_Contains(w->root_keys, f->key)) < 0) goto name_done;
            if (!VALUE() || !TAG() || !(path = frame_child(w, top))) goto name_done;
            PyObject *pending = make_scalar(value, path, s_value, start, end, w->doc, tag, name, held);
            path = NULL;
            if (!pending) goto name_done;
            Py_XSETREF(f->pending, pending);
            f->pending_wanted = keep;
            f->expect_value = 0;
            rc = 0;
            goto name_done;
        }
    }
    if (!wanted && w->name_cache && (wanted = wanted_name(w, name)) < 0) goto name_done;
    if (!wanted && w->has_words && blank) {
        if (!VALUE() || (wanted = call_has_word(w, value)) < 0) goto name_done;
    }
    if (!wanted && (wanted = wanted_length(w, length)) < 0) goto name_done;
    if (!wanted) wanted = f->wanted;
    if (!wanted && f->root && f->is_map && (wanted = PySet_Contains(w->root_keys, f->key)) < 0) goto name_done;
    if (wanted) {
        if (!VALUE() || !TAG()) goto name_done;
        PyObject *own_path = NULL;
        if (f->is_map) {
            if (!(path = frame_child(w, top))) goto name_done;
        } else {
            PyObject *base = frame_path(w, top);
            if (!base || !(own_path = PyUnicode_FromFormat("%U[%zd]", base, f->index))) goto name_done;
            path = own_path;
        }
        scalar = make_scalar(value, path, s_value, start, end, w->doc, tag, name, held);
        Py_XDECREF(own_path);
        path = NULL;
        if (!scalar) goto name_done;
        emit(w, scalar);
    }
    f = &w->stack[top];
    if (!f->is_map) {
        f->index++;
    } else {
        if (is_name_key(f->key) && !(f->pair_name && PyUnicode_GET_LENGTH(f->pair_name))) {
            if (!VALUE()) goto name_done;
            Py_INCREF(value);
            Py_XSETREF(f->pair_name, value);
            if (f->pending && file_pending(w, f, value) < 0) goto name_done;
        }
        f->expect_value = 0;
    }
    rc = 0;
name_done:
    Py_DECREF(name);
done:
    Py_XDECREF(value);
    Py_XDECREF(anchor);
    Py_XDECREF(held);
    Py_XDECREF(tag);
    return rc;
#undef VALUE
#undef TAG
}

static void raise_parser_error(Walker *w) {
    yaml_parser_t *p = &w->parser;
    if (p->error == YAML_MEMORY_ERROR) {
        PyErr_NoMemory();
        return;
    }
    PyObject *context_mark = Py_None, *problem_mark = Py_None;
    Py_INCREF(Py_None);
    Py_INCREF(Py_None);
    if (p->error != YAML_READER_ERROR) {
        if (p->context) {
            Py_DECREF(context_mark);
            context_mark = Py_BuildValue("(nnn)", (Py_ssize_t)p->context_mark.index, (Py_ssize_t)p->context_mark.line,
                                         (Py_ssize_t)p->context_mark.column);
        }
        if (p->problem) {
            Py_DECREF(problem_mark);
            problem_mark = Py_BuildValue("(nnn)", (Py_ssize_t)p->problem_mark.index, (Py_ssize_t)p->problem_mark.line,
                                         (Py_ssize_t)p->problem_mark.column);
        }
    }
    if (!context_mark || !problem_mark) {
        Py_XDECREF(context_mark);
        Py_XDECREF(problem_mark);
        return;
    }
    PyObject *err = PyObject_CallFunction(parser_error, "iznizOO", (int)p->error, p->problem,
                                          (Py_ssize_t)p->problem_offset, p->problem_value, p->context, context_mark,
                                          problem_mark);
    Py_DECREF(context_mark);
    Py_DECREF(problem_mark);
    if (err) {
        PyErr_SetObject((PyObject *)Py_TYPE(err), err);
        Py_DECREF(err);
    }
}

/* One event; 0 when done or an error is set (see w->done and PyErr_Occurred). */
static int step(Walker *w) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&w->parser, &ev)) {
        raise_parser_error(w);
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "libyaml failed without an error");
        return -1;
    }
    int rc = 0;
    switch (ev.type) {
    case YAML_SCALAR_EVENT:
        rc = on_scalar(w, &ev);
        break;
    case YAML_MAPPING_START_EVENT:
        rc = on_collection_start(w, &ev, 1);
        break;
    case YAML_SEQUENCE_START_EVENT:
        rc = on_collection_start(w, &ev, 0);
        break;
    case YAML_MAPPING_END_EVENT:
    case YAML_SEQUENCE_END_EVENT:
        rc = on_collection_end(w);
        break;
    case YAML_ALIAS_EVENT:
        rc = on_alias(w, &ev);
        break;
    case YAML_DOCUMENT_END_EVENT:
        w->doc++;
        w->parsed_to = (Py_ssize_t)ev.end_mark.index;
        break;
    case YAML_DOCUMENT_START_EVENT:
        clear_stack(w);
        if (PySet_Clear(w->anchors) < 0) rc = -1;
        PyDict_Clear(w->anchored);
        break;
    case YAML_STREAM_END_EVENT:
    case YAML_NO_EVENT:
        w->done = 1;
        break;
    default:
        break;
    }
    yaml_event_delete(&ev);
    return rc;
}

static void finish(Walker *w) {
    w->done = 1;
    if (w->parser_ready) {
        yaml_parser_delete(&w->parser);
        w->parser_ready = 0;
    }
    clear_stack(w);
    Py_CLEAR(w->utf8);
}

static PyObject *Walker_next(Walker *w) {
    for (;;) {
        if (w->outpos < w->nout) {
            PyObject *scalar = w->out[w->outpos++];
            if (w->outpos == w->nout) w->outpos = w->nout = 0;
            return scalar;
        }
        if (w->done) return NULL;
        if (step(w) < 0) {
            /* What the failing event had produced is dropped, as the reference's generator would. */
            while (w->outpos < w->nout) Py_DECREF(w->out[w->outpos++]);
            w->outpos = w->nout = 0;
            finish(w);
            return NULL;
        }
        if (w->done) finish(w);
    }
}

static int Walker_init(Walker *w, PyObject *args, PyObject *kwargs) {
    static char *names[] = {"text",   "restore", "everything", "lengths",   "root_keys", "words",
                            "name_cache", "marks", "bits",   "unknown",    "hashes",    "inside",
                            "doc",    "last_end", "parsed_to", "strong", "confirm", NULL};
    PyObject *text, *restore, *lengths, *root_keys, *words, *name_cache, *marks, *bits, *unknown, *hashes, *inside;
    PyObject *strong = NULL, *confirm = NULL;
    int everything;
    long doc;
    Py_ssize_t last_end, parsed_to;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "UOpO!O!O!OO!O!OO!O!lnn|O!O", names, &text, &restore,
                                     &everything, &PyFrozenSet_Type, &lengths, &PyFrozenSet_Type, &root_keys,
                                     &PyTuple_Type, &words, &name_cache, &PyList_Type, &marks, &PyList_Type, &bits,
                                     &unknown, &PyList_Type, &hashes, &PySet_Type, &inside, &doc, &last_end,
                                     &parsed_to, &PyLong_Type, &strong, &confirm))
        return -1;
    if (!Scalar) {
        PyErr_SetString(PyExc_RuntimeError, "configure() was not called");
        return -1;
    }
    if (w->parser_ready || w->text) {
        PyErr_SetString(PyExc_RuntimeError, "a walker runs once");
        return -1;
    }
    const char *data;
    Py_ssize_t size;
    if (PyUnicode_IS_ASCII(text)) {
        data = (const char *)PyUnicode_DATA(text);
        size = PyUnicode_GET_LENGTH(text);
    } else {
        /* A copy freed when the walk ends (PyUnicode_AsUTF8 would keep one as long as the text). */
        w->utf8 = PyUnicode_AsUTF8String(text);
        if (!w->utf8) return -1;
        data = PyBytes_AS_STRING(w->utf8);
        size = PyBytes_GET_SIZE(w->utf8);
    }
    Py_INCREF(text);
    w->text = text;
    Py_INCREF(restore);
    w->restore = restore;
    w->everything = everything;
    Py_INCREF(lengths);
    w->lengths = lengths;
    PyObject *iter = PyObject_GetIter(lengths), *item;
    if (!iter) return -1;
    while ((item = PyIter_Next(iter))) {
        Py_ssize_t n = PyLong_AsSsize_t(item);
        Py_DECREF(item);
        if (n == -1 && PyErr_Occurred()) {
            Py_DECREF(iter);
            return -1;
        }
        if (n >= 0 && n < LENGTH_BITS) w->length_bits[n >> 3] |= (unsigned char)(1 << (n & 7));
    }
    Py_DECREF(iter);
    if (PyErr_Occurred()) return -1;
    Py_INCREF(root_keys);
    w->root_keys = root_keys;
    Py_INCREF(words);
    w->words = words;
    w->has_words = PyTuple_GET_SIZE(words) > 0;
    if (name_cache != Py_None) {
        if (!PyDict_Check(name_cache)) {
            PyErr_SetString(PyExc_TypeError, "name_cache must be a dict or None");
            return -1;
        }
        Py_INCREF(name_cache);
        w->name_cache = name_cache;
    }
    if (confirm && confirm != Py_None) {
        if (!strong || !PyCallable_Check(confirm)) {
            PyErr_SetString(PyExc_TypeError, "confirm must come with strong, and be callable");
            return -1;
        }
        w->strong = Py_NewRef(strong);
        w->confirm = Py_NewRef(confirm);
    }
    if (!(w->marks = offsets_of(marks, &w->nmarks))) return -1;
    if (PyList_GET_SIZE(bits) < w->nmarks) {
        PyErr_SetString(PyExc_ValueError, "a bit for every mark");
        return -1;
    }
    Py_INCREF(bits);
    w->bits = bits;
    Py_INCREF(unknown);
    w->unknown = unknown;
    if (!(w->hashes = offsets_of(hashes, &w->nhashes))) return -1;
    Py_INCREF(hashes);
    w->hash_list = hashes;
    Py_INCREF(inside);
    w->inside = inside;
    if (!(w->anchors = PySet_New(NULL)) || !(w->anchored = PyDict_New())) return -1;
    w->doc = doc;
    w->last_end = last_end;
    w->parsed_to = parsed_to;
    if (!yaml_parser_initialize(&w->parser)) {
        PyErr_NoMemory();
        return -1;
    }
    w->parser_ready = 1;
    /* No encoding set: libyaml reads the BOM itself, as under PyYAML's CParser. */
    yaml_parser_set_input_string(&w->parser, (const unsigned char *)data, (size_t)size);
    return 0;
}

static int Walker_traverse(Walker *w, visitproc visit, void *arg) {
    Py_VISIT(w->text);
    Py_VISIT(w->restore);
    Py_VISIT(w->name_cache);
    Py_VISIT(w->confirm);
    Py_VISIT(w->inside);
    Py_VISIT(w->anchored);
    for (Py_ssize_t i = 0; i < w->depth; i++) Py_VISIT(w->stack[i].pending);
    return 0;
}

static int Walker_clear(Walker *w) {
    while (w->outpos < w->nout) Py_CLEAR(w->out[w->outpos++]);
    w->outpos = w->nout = 0;
    finish(w);
    Py_CLEAR(w->text);
    Py_CLEAR(w->restore);
    Py_CLEAR(w->lengths);
    Py_CLEAR(w->root_keys);
    Py_CLEAR(w->words);
    Py_CLEAR(w->name_cache);
    Py_CLEAR(w->strong);
    Py_CLEAR(w->confirm);
    Py_CLEAR(w->bits);
    Py_CLEAR(w->unknown);
    Py_CLEAR(w->hash_list);
    Py_CLEAR(w->inside);
    Py_CLEAR(w->anchors);
    Py_CLEAR(w->anchored);
    return 0;
}

static void Walker_dealloc(Walker *w) {
    PyObject_GC_UnTrack(w);
    Walker_clear(w);
    PyMem_Free(w->marks);
    PyMem_Free(w->hashes);
    PyMem_Free(w->stack);
    Py_TYPE(w)->tp_free((PyObject *)w);
}

static PyMemberDef Walker_members[] = {
    {"doc", T_LONG, offsetof(Walker, doc), READONLY, "documents ended so far"},
    {"parsed_to", T_PYSSIZET, offsetof(Walker, parsed_to), READONLY, "where the last ended document ends"},
    {"last_end", T_PYSSIZET, offsetof(Walker, last_end), READONLY, "where the last scalar ends"},
    {NULL},
};

static PyTypeObject WalkerType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "yamlsecretlint.sources._walker.Walker",
    .tp_basicsize = sizeof(Walker),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "The scalars a gate wants from one YAML text, in file order.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Walker_init,
    .tp_dealloc = (destructor)Walker_dealloc,
    .tp_traverse = (traverseproc)Walker_traverse,
    .tp_clear = (inquiry)Walker_clear,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = (iternextfunc)Walker_next,
    .tp_members = Walker_members,
};

static PyObject *configure(PyObject *module, PyObject *args) {
    PyObject *helpers[6];
    if (!PyArg_ParseTuple(args, "OOOOOO", &helpers[0], &helpers[1], &helpers[2], &helpers[3], &helpers[4],
                          &helpers[5]))
        return NULL;
    PyObject **slots[6] = {&Scalar, &key_segment, &tag_name, &has_word, &parser_error, &alias_error};
    for (int i = 0; i < 6; i++) {
        Py_INCREF(helpers[i]);
        Py_XSETREF(*slots[i], helpers[i]);
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS,
     "configure(Scalar, key_segment, tag_name, has_word, parser_error, alias_error): the reference's helpers"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_walker", "The YAML walker's hot loop.", -1, methods};

PyMODINIT_FUNC PyInit__walker(void) {
    if (PyType_Ready(&WalkerType) < 0) return NULL;
    s_empty = PyUnicode_InternFromString("");
    s_value = PyUnicode_InternFromString("value");
    s_key = PyUnicode_InternFromString("key");
    s_query = PyUnicode_InternFromString("?");
    s_star = PyUnicode_InternFromString("*");
    long_minus_one = PyLong_FromLong(-1);
    long_zero = PyLong_FromLong(0);
    if (!s_empty || !s_value || !s_key || !s_query || !s_star || !long_minus_one || !long_zero) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    Py_INCREF(&WalkerType);
    if (PyModule_AddObject(m, "Walker", (PyObject *)&WalkerType) < 0) {
        Py_DECREF(&WalkerType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
