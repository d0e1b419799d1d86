"""What the public sees: the public record of a case, written at publication."""
