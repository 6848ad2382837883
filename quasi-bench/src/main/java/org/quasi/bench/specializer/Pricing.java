package org.quasi.bench.specializer;

/**
 * The method whose specialization time is measured: {@link #quote} is about 100 bytecode instructions and calls
 * three levels deep ({@code quote} → {@code lineTotal} → {@code discount} → {@code tier}).
 */
public final class Pricing {
  final int[] tierLimits;
  final int[] tierPercents;
  final int basePrice;
  final int taxPercent;
  final boolean roundUp;

  public Pricing(final int[] tierLimits, final int[] tierPercents, final int basePrice, final int taxPercent,
      final boolean roundUp) {
    this.tierLimits = tierLimits;
    this.tierPercents = tierPercents;
    this.basePrice = basePrice;
    this.taxPercent = taxPercent;
    this.roundUp = roundUp;
  }

  public static Pricing standard() {
    return new Pricing(new int[] {10, 100, 1000}, new int[] {0, 5, 12}, 250, 20, true);
  }

  /** Quotes {@code quantity} items for a customer of the given loyalty years, in cents. */
  public static long quote(final Pricing p, final int quantity, final int loyaltyYears) {
    if (quantity <= 0) {
      return 0;
    }
    long total = 0;
    int remaining = quantity;
    int batch = 0;
    while (remaining > 0) {
      final int size = Math.min(remaining, 50);
      total += p.lineTotal(size, batch);
      remaining -= size;
      batch++;
    }
    long loyalty = loyaltyYears > 5 ? 7 : loyaltyYears > 2 ? 3 : 0;
    total = total * (100 - loyalty) / 100;
    long tax = total * p.taxPercent / 100;
    if (p.roundUp && (total * p.taxPercent) % 100 != 0) {
      tax++;
    }
    final long sum = total + tax;
    if (sum > 1_000_000_00L) {
      return 1_000_000_00L;
    }
    return sum < 0 ? 0 : sum;
  }

  long lineTotal(final int size, final int batch) {
    final long gross = (long) size * basePrice;
    final int percent = discount(size + batch * 50);
    return gross - gross * percent / 100;
  }

  int discount(final int quantity) {
    final int t = tier(quantity);
    return t < 0 ? 0 : tierPercents[t];
  }

  int tier(final int quantity) {
    int t = -1;
    for (int i = 0; i < tierLimits.length; i++) {
      if (quantity >= tierLimits[i]) {
        t = i;
      }
    }
    return t;
  }
}
