package io.augur.ops.detect;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A {@code List<Float>} over a {@code float[]}: the detector's working form of the {@code SeriesBaseline}'s float
 * arrays, read and written as primitives ({@link #getFloat}, {@link #setFloat}) with no boxing per datapoint. Avro
 * writes and copies it as any list (its elements boxed only then, e.g. at a snapshot); it equals any list of the same
 * {@code Float}s. Grows at its end; shrinks anywhere (state from older schema versions is padded and cut like any list).
 */
public final class FloatList extends AbstractList<Float> implements RandomAccess {
    private float[] a;
    private int n;

    private FloatList(float[] a, int n) {
        this.a = a;
        this.n = n;
    }

    /** {@code l} itself when it is one, else a copy of it. */
    public static FloatList of(List<Float> l) {
        if (l instanceof FloatList d) return d;
        float[] a = new float[Math.max(l.size(), 4)];
        for (int i = 0; i < l.size(); i++) a[i] = l.get(i);
        return new FloatList(a, l.size());
    }

    /** A list over the first {@code n} of {@code a} (taken, not copied). */
    static FloatList over(float[] a, int n) {
        return new FloatList(a, n);
    }

    public float getFloat(int i) {
        if (i >= n) throw new IndexOutOfBoundsException(i);
        return a[i];
    }

    public void setFloat(int i, float v) {
        if (i >= n) throw new IndexOutOfBoundsException(i);
        a[i] = v;
    }

    @Override
    public Float get(int i) {
        return getFloat(i);
    }

    @Override
    public Float set(int i, Float v) {
        float old = getFloat(i);
        a[i] = v;
        return old;
    }

    @Override
    public boolean add(Float v) {
        if (n == a.length) a = Arrays.copyOf(a, Math.max(4, 2 * n));
        a[n++] = v;
        modCount++;
        return true;
    }

    @Override
    public Float remove(int i) {
        float old = getFloat(i);
        System.arraycopy(a, i + 1, a, i, n - i - 1);
        n--;
        modCount++;
        return old;
    }

    @Override
    public int size() {
        return n;
    }
}
