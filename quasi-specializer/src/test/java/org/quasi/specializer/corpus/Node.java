package org.quasi.specializer.corpus;

/** A mutable singly linked list node (corpus object graph). {@code value} and {@code next} are quasi-invariant. */
public final class Node {
  public int value;
  public Node next;
  public int visits;

  public Node(final int value, final Node next) {
    this.value = value;
    this.next = next;
  }

  public static Node list(final int... values) {
    Node n = null;
    for (int i = values.length - 1; i >= 0; i--) {
      n = new Node(values[i], n);
    }
    return n;
  }

  @Override
  public String toString() {
    return "Node(" + value + "," + visits + ")->" + next;
  }
}
