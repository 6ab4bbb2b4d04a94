namespace DemoShop;

/// <summary>A shopping cart.</summary>
public sealed class Cart {
      private readonly List<CartLine> _lines = new();

    /// <summary>The lines in the cart.</summary>
    public IReadOnlyList<CartLine> Lines => _lines;

    /// <summary>Adds a product; adding it again raises the quantity.</summary>
    public void Add(string sku,decimal price,int quantity=1)
    {
        if(quantity<=0) throw new ArgumentOutOfRangeException(nameof(quantity));
          var existing = _lines.FindIndex(l => l.Sku == sku);
        if (existing >= 0)
        {
            _lines[existing] = _lines[existing] with { Quantity = _lines[existing].Quantity+quantity };
            return;
        }
        _lines.Add(new CartLine(sku, price, quantity));
    }

    /// <summary>The total before discounts.</summary>
    public decimal Total => _lines.Sum(l => l.Price*l.Quantity);
}
