package org.quasi.specializer.corpus;

/** A small class hierarchy for virtual and interface calls (corpus). */
public final class Shapes {
  private Shapes() {
  }

  /** An interface with a default method. */
  public interface Shape {
    double area();

    default String describe() {
      return name() + ":" + Math.round(area());
    }

    String name();
  }

  /** An abstract base class with a template method calling a virtual one. */
  public abstract static class Base implements Shape {
    protected final int scale;

    protected Base(final int scale) {
      this.scale = scale;
    }

    public int scaled(final int x) {
      return x * scale + bonus();
    }

    protected int bonus() {
      return 1;
    }
  }

  /** A square. */
  public static class Square extends Base {
    final double side;

    public Square(final int scale, final double side) {
      super(scale);
      this.side = side;
    }

    @Override
    public double area() {
      return side * side;
    }

    @Override
    public String name() {
      return "square";
    }
  }

  /** A circle overriding the bonus and calling super. */
  public static final class Circle extends Base {
    final double radius;

    public Circle(final int scale, final double radius) {
      super(scale);
      this.radius = radius;
    }

    @Override
    public double area() {
      return Math.PI * radius * radius;
    }

    @Override
    public String name() {
      return "circle";
    }

    @Override
    protected int bonus() {
      return super.bonus() + 10;
    }
  }

  /** A subclass of square with its own name. */
  public static final class Tile extends Square {
    public Tile(final int scale) {
      super(scale, 1.0);
    }

    @Override
    public String name() {
      return "tile";
    }
  }

  public static Shape of(final int kind, final int scale) {
    return switch (Math.floorMod(kind, 3)) {
      case 0 -> new Square(scale, scale + 0.5);
      case 1 -> new Circle(scale, scale / 2.0);
      default -> new Tile(scale);
    };
  }
}
