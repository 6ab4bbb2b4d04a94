namespace DemoShop.Tests;

public class CartTests
{
    [Fact]
    public void Add_SameSkuTwice_RaisesQuantity()
    {
        var cart = new Cart();
        cart.Add("apple", 1.5m);
        cart.Add("apple", 1.5m, 2);

        Assert.Equal(3, Assert.Single(cart.Lines).Quantity);
    }

    [Fact]
    public void Total_SumsPriceTimesQuantity()
    {
        var cart = new Cart();
        cart.Add("apple", 1.5m, 2);
        cart.Add("pear", 2m);

        Assert.Equal(5m, cart.Total);
    }

    [Fact]
    public void Add_ZeroQuantity_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => new Cart().Add("apple", 1m, 0));

    [Theory]
    [InlineData(99, 99)]
    [InlineData(100, 90)]
    public void Discount_TenPercentFromOneHundred(decimal total, decimal expected) => Assert.Equal(expected, Discount.Apply(total));
}
