namespace DemoShop;

/// <summary>Discount rules.</summary>
public static class Discount
{
   /// <summary>Ten percent off orders of 100 or more.</summary>
   public static decimal Apply(decimal total)   =>   total >= 100m ? total * 0.9m : total;
}
