package io.augur.ops.detect;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A {@code List<Double>} over a {@code double[]}: the detector's working form of the {@code SeriesBaseline}'s double
 * arrays, read and written as primitives ({@link #getDouble}, {@link #setDouble}) with no boxing per datapoint. Avro
 * writes and copies it as any list (its elements boxed only then, e.g. at a snapshot); it equals any list of the same
 * {@code Double}s. Grows at its end; shrinks anywhere (state from older schema versions is padded and cut like any list).
 */
public final class DoubleList extends AbstractList<Double> implements RandomAccess {
    private double[] a;
    private int n;

    private DoubleList(double[] a, int n) {
        this.a = a;
        this.n = n;
    }

    /** {@code l} itself when it is one, else a copy of it. */
    public static DoubleList of(List<Double> l) {
        if (l instanceof DoubleList d) return d;
        double[] a = new double[Math.max(l.size(), 4)];
        for (int i = 0; i < l.size(); i++) a[i] = l.get(i);
        return new DoubleList(a, l.size());
    }

    /** A list over the first {@code n} of {@code a} (not copied). */
    static DoubleList over(double[] a, int n) {
        return new DoubleList(a, n);
    }

    public double getDouble(int i) {
        if (i >= n) throw new IndexOutOfBoundsException(i);
        return a[i];
    }

    public void setDouble(int i, double v) {
        if (i >= n) throw new IndexOutOfBoundsException(i);
        a[i] = v;
    }

    @Override
    public Double get(int i) {
        return getDouble(i);
    }

    @Override
    public Double set(int i, Double v) {
        double old = getDouble(i);
        a[i] = v;
        return old;
    }

    @Override
    public boolean add(Double v) {
        if (n == a.length) a = Arrays.copyOf(a, Math.max(4, 2 * n));
        a[n++] = v;
        modCount++;
        return true;
    }

    @Override
    public Double remove(int i) {
        double old = getDouble(i);
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
