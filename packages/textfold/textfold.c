/* textfold: the media-mention matcher's byte fold in one C pass, and the map from folded offsets back to the
 * original ones. monitoring/matcher.py explains the fold; this module only makes it cheap:
 *
 *   fold(data, table) -> (folded, deletions) or None
 *       Translates every byte through `table` (256 bytes) and deletes the Latin-1 lead byte 0xC3, recording the
 *       folded position of each deletion (native uint32s in `deletions`). Returns None as soon as the text holds a
 *       letter the byte fold cannot read, so the caller takes the character fold instead.
 *   unfold(deletions, hits) -> hits
 *       Maps each (ident, start, end) of folded offsets back to original byte offsets: a position moves right by
 *       the number of deletions before it, so a span that starts on an accented letter includes its lead byte.
 *   quick_hits(folded, found, lengths, plains, boundary) -> (hits, rest)
 *       Settles the engine's common hits, (end, ident) pairs, on the folded text alone: a name whose folded length
 *       is known (lengths[ident], 0 for none), in its plain spelling (plains[ident], None when only one exists),
 *       between boundary bytes. They come back as (ident, start, end); the others are left for the caller.
 *
 * Doing this here saves what Python could not: a second pass over the text to find the lead bytes, a
 * `bytes.count` walk over every gap between hits, and a few Python operations for each of hundreds of hits per MB. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define LATIN1_LEAD 0xC3

/* Whether the folded byte `f`, written after `previous` (and `before` that), shows a letter the byte fold cannot
 * read. Mirrors matcher._NEEDS_CHARACTER_FOLD, which is this test written as a regex over the folded text:
 * lead bytes C4..CD (Latin Extended A/B, IPA, combining marks), E1 B8.. (Latin Extended Additional), EF AC..
 * and EF BC.. (ligatures, fullwidth letters) and E2 80 80.. (typographic spaces), each as it looks once folded.
 * Only called for bytes of 0x80 and above, whose folds are the only capitals and high bytes in folded text. */
static inline int needs_character_fold(unsigned char f, int previous, int before) {
    if (f >= 0xC4 && f <= 0xCD)
        return 1;
    if (previous == 0xE1 && (f == 0xB8 || f == 'U'))
        return 1;
    if (previous == 0xEF && (f == 'I' || f == 'U' || f == 'Y'))
        return 1;
    return before == 0xE2 && previous == 'A' && (f == 'A' || f == 'C' || f == 'E' || f == 0xA6);
}

static PyObject *textfold_fold(PyObject *self, PyObject *args) {
    Py_buffer data, table;
    if (!PyArg_ParseTuple(args, "y*y*:fold", &data, &table))
        return NULL;
    PyObject *folded = NULL, *deletions = NULL, *result = NULL;
    uint32_t *positions = NULL;
    if (table.len != 256) {
        PyErr_SetString(PyExc_ValueError, "the fold table must hold 256 bytes");
        goto done;
    }
    if (data.len > UINT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "text too long to fold (over 4 GB)");
        goto done;
    }
    const unsigned char *in = data.buf, *map = table.buf;
    const Py_ssize_t size = data.len;
    folded = PyBytes_FromStringAndSize(NULL, size);
    if (folded == NULL)
        goto done;
    unsigned char *out = (unsigned char *)PyBytes_AS_STRING(folded);
    Py_ssize_t written = 0, count = 0, capacity = 0;
    int needs_characters = 0;
    for (Py_ssize_t i = 0; i < size; i++) {
        const unsigned char byte = in[i];
        if (byte < 0x80) { /* the common byte: one table look-up */
            out[written++] = map[byte];
            continue;
        }
        if (byte == LATIN1_LEAD) {
            if (count == capacity) {
                capacity = capacity ? capacity * 2 : 64;
                uint32_t *grown = PyMem_Realloc(positions, capacity * sizeof(uint32_t));
                if (grown == NULL) {
                    PyErr_NoMemory();
                    goto done;
                }
                positions = grown;
            }
            positions[count++] = (uint32_t)written;
            continue;
        }
        const unsigned char f = map[byte];
        if (needs_character_fold(f, written ? out[written - 1] : -1, written > 1 ? out[written - 2] : -1)) {
            needs_characters = 1;
            break;
        }
        out[written++] = f;
    }
    if (needs_characters) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    if (written != size && _PyBytes_Resize(&folded, written) < 0)
        goto done; /* _PyBytes_Resize cleared `folded` */
    deletions = PyBytes_FromStringAndSize((const char *)positions, count * (Py_ssize_t)sizeof(uint32_t));
    if (deletions == NULL)
        goto done;
    result = PyTuple_Pack(2, folded, deletions);
done:
    PyMem_Free(positions);
    Py_XDECREF(folded);
    Py_XDECREF(deletions);
    PyBuffer_Release(&data);
    PyBuffer_Release(&table);
    return result;
}

/* The number of deletions at folded positions before `position`: a lower bound in the sorted positions. */
static inline Py_ssize_t deleted_before(const uint32_t *positions, Py_ssize_t count, Py_ssize_t position) {
    Py_ssize_t low = 0, high = count;
    while (low < high) {
        const Py_ssize_t middle = low + (high - low) / 2;
        if ((Py_ssize_t)positions[middle] < position)
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}

static PyObject *textfold_unfold(PyObject *self, PyObject *args) {
    Py_buffer deletions;
    PyObject *hits;
    if (!PyArg_ParseTuple(args, "y*O!:unfold", &deletions, &PyList_Type, &hits))
        return NULL;
    PyObject *result = NULL;
    if (deletions.len % sizeof(uint32_t)) {
        PyErr_SetString(PyExc_ValueError, "deletions must be packed uint32 positions");
        goto done;
    }
    const uint32_t *positions = deletions.buf;
    const Py_ssize_t count = deletions.len / (Py_ssize_t)sizeof(uint32_t);
    const Py_ssize_t size = PyList_GET_SIZE(hits);
    result = PyList_New(size);
    if (result == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < size; i++) {
        PyObject *hit = PyList_GET_ITEM(hits, i);
        PyObject *ident;
        Py_ssize_t start, end;
        if (!PyTuple_Check(hit) || PyTuple_GET_SIZE(hit) != 3) {
            PyErr_SetString(PyExc_TypeError, "each hit must be an (ident, start, end) tuple");
            Py_CLEAR(result);
            goto done;
        }
        if (!PyArg_ParseTuple(hit, "Onn", &ident, &start, &end)) {
            Py_CLEAR(result);
            goto done;
        }
        PyObject *mapped = Py_BuildValue("Onn", ident, start + deleted_before(positions, count, start),
                                         end + deleted_before(positions, count, end));
        if (mapped == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, i, mapped);
    }
done:
    PyBuffer_Release(&deletions);
    return result;
}

static inline unsigned char ascii_lower(unsigned char byte) { return byte >= 'A' && byte <= 'Z' ? byte + 32 : byte; }

/* Whether the folded span equals the name's plain folded spelling, ignoring ASCII case (bytes.lower()). */
static int plain_spelling(const unsigned char *span, PyObject *plain, Py_ssize_t length) {
    if (plain == Py_None)
        return 1;
    if (!PyBytes_Check(plain) || PyBytes_GET_SIZE(plain) != length)
        return 0;
    const unsigned char *spelling = (const unsigned char *)PyBytes_AS_STRING(plain);
    for (Py_ssize_t k = 0; k < length; k++)
        if (ascii_lower(span[k]) != spelling[k])
            return 0;
    return 1;
}

static PyObject *textfold_quick_hits(PyObject *self, PyObject *args) {
    Py_buffer folded, lengths, boundary;
    PyObject *found, *plains;
    if (!PyArg_ParseTuple(args, "y*O!y*O!y*:quick_hits", &folded, &PyList_Type, &found, &lengths, &PyList_Type,
                          &plains, &boundary))
        return NULL;
    PyObject *hits = NULL, *rest = NULL, *result = NULL;
    const Py_ssize_t patterns = lengths.len / (Py_ssize_t)sizeof(uint32_t);
    if (lengths.len % sizeof(uint32_t) || PyList_GET_SIZE(plains) != patterns || boundary.len != 256) {
        PyErr_SetString(PyExc_ValueError, "one length (uint32) and one plain spelling per pattern, 256 boundaries");
        goto done;
    }
    const unsigned char *text = folded.buf, *is_boundary = boundary.buf;
    const uint32_t *quick_length = lengths.buf;
    const Py_ssize_t size = folded.len;
    hits = PyList_New(0);
    rest = PyList_New(0);
    if (hits == NULL || rest == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(found); i++) {
        PyObject *hit = PyList_GET_ITEM(found, i);
        Py_ssize_t end, ident;
        if (!PyTuple_Check(hit) || PyTuple_GET_SIZE(hit) != 2) {
            PyErr_SetString(PyExc_TypeError, "each engine hit must be an (end, ident) tuple");
            goto done;
        }
        if (!PyArg_ParseTuple(hit, "nn", &end, &ident))
            goto done;
        if (ident < 0 || ident >= patterns || end < 0 || end > size) {
            PyErr_Format(PyExc_IndexError, "engine hit (%zd, %zd) outside the patterns or the text", end, ident);
            goto done;
        }
        const Py_ssize_t length = quick_length[ident], start = end - length;
        if (length && start >= 0 && (end == size || is_boundary[text[end]]) &&
            (start == 0 || is_boundary[text[start - 1]]) &&
            plain_spelling(text + start, PyList_GET_ITEM(plains, ident), length)) {
            PyObject *quick = Py_BuildValue("nnn", ident, start, end);
            if (quick == NULL || PyList_Append(hits, quick) < 0) {
                Py_XDECREF(quick);
                goto done;
            }
            Py_DECREF(quick);
        } else if (PyList_Append(rest, hit) < 0) {
            goto done;
        }
    }
    result = PyTuple_Pack(2, hits, rest);
done:
    Py_XDECREF(hits);
    Py_XDECREF(rest);
    PyBuffer_Release(&folded);
    PyBuffer_Release(&lengths);
    PyBuffer_Release(&boundary);
    return result;
}

static PyMethodDef textfold_methods[] = {
    {"quick_hits", textfold_quick_hits, METH_VARARGS,
     "quick_hits(folded, found, lengths, plains, boundary) -> (hits, rest): settle the engine's common hits."},
    {"fold", textfold_fold, METH_VARARGS,
     "fold(data, table) -> (folded, deletions) or None: translate UTF-8 bytes, delete the Latin-1 lead byte."},
    {"unfold", textfold_unfold, METH_VARARGS,
     "unfold(deletions, hits) -> hits: map (ident, start, end) folded offsets back to original ones."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef textfold_module = {
    PyModuleDef_HEAD_INIT, "textfold", "The media-mention matcher's byte fold, in C.", -1, textfold_methods,
};

PyMODINIT_FUNC PyInit_textfold(void) { return PyModule_Create(&textfold_module); }
