namespace DemoShop;

/// <summary>One product in a cart.</summary>
public sealed record CartLine(string Sku, decimal Price, int Quantity);
