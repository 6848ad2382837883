package org.quasi.typeguard.internal;

import java.util.Objects;
import java.util.function.Consumer;
import org.quasi.typeguard.Certainty;
import org.quasi.typeguard.FieldId;
import org.quasi.typeguard.Finding;
import org.quasi.typeguard.FindingKind;
import org.quasi.typeguard.Site;

/**
 * Builds the diagnostic of a rule: the field, kind and site are fixed when it starts; the certainty defaults to
 * definite; the detail (the instruction or API) and the message must be given.
 */
final class FindingBuilder {

  private final FieldId field;
  private final FindingKind kind;
  private final Site site;
  private final Consumer<Finding> sink;
  private Certainty certainty = Certainty.DEFINITE;
  private String detail;
  private String message;

  FindingBuilder(final FieldId field, final FindingKind kind, final Site site, final Consumer<Finding> sink) {
    this.field = field;
    this.kind = kind;
    this.site = site;
    this.sink = sink;
  }

  /** {@return this builder} @param value how sure the finding is */
  FindingBuilder certainty(final Certainty value) {
    this.certainty = Objects.requireNonNull(value);
    return this;
  }

  /** {@return this builder} @param value the instruction or API, such as {@code Field.setInt} */
  FindingBuilder detail(final String value) {
    this.detail = value;
    return this;
  }

  /** {@return this builder} @param value a one-sentence explanation */
  FindingBuilder message(final String value) {
    this.message = value;
    return this;
  }

  /** Reports the finding. */
  void report() {
    sink.accept(new Finding(field, kind, certainty, site,
        Objects.requireNonNull(detail, "detail"), Objects.requireNonNull(message, "message")));
  }
}
